"""Demo posters: the IL-6 family and inflammasomes."""

LISTING = r"""
== P201 | il6
T: IL-6 trans-signalling drives fibroblast activation in inflamed synovium
A: Siân Roberts* 1; Florian Becker 2; Priyanka Nair 1
F: Cardiff University, United Kingdom | Kiel University, Germany
K: IL-6; trans-signalling; sIL-6R; synovial fibroblasts; rheumatoid arthritis
D: 10.5555/cyto2021.p201
G: bar | Synovial fibroblast invasion | invaded cells per field | Medium 18, IL-6 21, IL-6 + sIL-6R
  64, IL-6 + sIL-6R + sgp130Fc 23
### Background
Synovial fibroblasts lack the membrane IL-6 receptor and respond to IL-6 only when it is
bound to the soluble receptor (sIL-6R), a process called trans-signalling.

### Methods
Fibroblasts from 9 patients with rheumatoid arthritis were stimulated with IL-6, IL-6 plus
sIL-6R, or both plus the trans-signalling inhibitor sgp130Fc. We measured invasion through
Matrigel, RANKL and MMP3, and studied mice with collagen-induced arthritis.

### Results
Trans-signalling increased invasion 3.5-fold and RANKL 5-fold, and sgp130Fc returned both
to baseline. In arthritic mice sgp130Fc reduced bone erosion by 58%, while classic
signalling in hepatocytes (CRP, SAA) was preserved.

### Conclusions
IL-6 trans-signalling activates invasive synovial fibroblasts. Selective blockade could
protect joints while sparing the protective functions of classic IL-6 signalling.

== P202 | il6
T: Oncostatin M predicts non-response to anti-TNF therapy in Crohn's disease: a prospective cohort
A: Eva Lindström* 1; Gonzalo Herrera 2; Chidi Okeke 3; Mirjam de Boer 4
F: Uppsala University, Sweden | University of Barcelona, Spain | University of Lagos, Nigeria |
  Leiden University Medical Center, Netherlands
K: oncostatin M; OSMR; Crohn's disease; anti-TNF; biomarkers
G: bar | Remission at week 14 by baseline mucosal OSM | % in remission | Low OSM 68, Mid OSM 47,
  High OSM 19
### Background
Oncostatin M (OSM), an IL-6 family cytokine, has been linked to resistance to anti-TNF
therapy in inflammatory bowel disease. Prospective validation is lacking.

### Methods
We measured *OSM* transcripts in ileal biopsies from 186 adults starting infliximab or
adalimumab for Crohn's disease in 11 centres. Remission was defined by endoscopy and
symptom scores at week 14.

### Results
Remission rates were 68%, 47% and 19% in the lowest, middle and highest OSM tertiles
(p < 0.001). High OSM predicted non-response with an area under the curve of 0.76, and the
association was independent of CRP and disease duration. OSM was produced mainly by
inflammatory monocytes.

### Conclusions
Mucosal OSM predicts poor response to anti-TNF therapy. OSM testing could guide the choice of
first biologic, and OSM blockade could be studied in non-responders.

== P203 | il6
T: Leukaemia inhibitory factor limits hepatocyte injury during acetaminophen toxicity
A: Chen Yiran* 1; Lukas Novotný 2; Abena Darko 3
F: Fudan University, Shanghai, China | Charles University, Prague, Czech Republic | University of
  Ghana, Accra, Ghana
K: LIF; acetaminophen; liver injury; STAT3; hepatocytes
G: line | Serum ALT after acetaminophen | ALT (U/L, x100) | hours | 0 6 12 24 48 | Control: 0.3 42
  61 38 9; Lifr KO in hepatocytes: 0.3 55 96 88 41
### Background
Acetaminophen overdose is the most common cause of acute liver failure. IL-6 family
cytokines protect hepatocytes, but the role of LIF is not well known.

### Methods
Mice lacking LIF receptor in hepatocytes (Alb-Cre) and controls received 300 mg/kg
acetaminophen (n = 10 per group). We measured ALT, necrosis, STAT3 activation and
mitochondrial damage over 48 h.

### Results
LIFR-deficient mice had 58% higher peak ALT and 2-fold larger necrotic areas at 24 h.
LIF was induced in liver endothelial cells within 6 h. Recombinant LIF given at 2 h reduced
necrosis by 45% and preserved mitochondrial membrane potential.

### Conclusions
Endothelial LIF protects hepatocytes during acetaminophen injury through STAT3. LIF could be
a treatment for patients who present too late for N-acetylcysteine.

== P204 | il6
T: IL-11 from senescent fibroblasts promotes lung fibrosis through ERK, not STAT3
A: Olivia Hart* 1; Ravi Menon 2; Mariana Costa 3
F: Imperial College London, United Kingdom | All India Institute of Medical Sciences, New Delhi,
  India | Universidade Federal de Minas Gerais, Belo Horizonte, Brazil
K: IL-11; lung fibrosis; ERK; fibroblasts; senescence
D: 10.5555/cyto2021.p204
G: bar | Hydroxyproline in lung, day 21 | µg per lung | Saline 105, Bleomycin 240, Bleomycin +
  anti-IL-11 145, Bleomycin + MEK inhibitor 152
### Background
IL-11 is an IL-6 family cytokine implicated in fibrosis. It activates STAT3 and ERK, but
which pathway drives fibroblast activation is debated.

### Methods
Primary lung fibroblasts from 7 patients with idiopathic pulmonary fibrosis were treated with
IL-11 and inhibitors of MEK or STAT3. Mice received bleomycin and an anti-IL-11 antibody or
a MEK inhibitor from day 7 (n = 10 per group).

### Results
IL-11 induced collagen and α-SMA through ERK; STAT3 inhibition had no effect. Senescent
fibroblasts secreted 6-fold more IL-11. In mice, anti-IL-11 reduced lung hydroxyproline by
70% of the bleomycin-induced increase and improved lung compliance.

### Conclusions
IL-11 drives lung fibrosis through ERK. IL-11 neutralisation after the onset of fibrosis is
effective in mice and deserves clinical testing.

== P205 | il6
T: CNTF receptor signalling in astrocytes protects retinal ganglion cells after optic nerve crush
A: Nora Albrecht* 1; Samuel Mensah 2; Kenta Yoshida 3
F: University of Zurich, Switzerland | University of Ghana, Accra, Ghana | University of Tokyo,
  Japan
K: CNTF; astrocytes; retinal ganglion cells; neuroprotection; gp130
G: bar | Surviving retinal ganglion cells, day 14 | % of uninjured | Control 24, CNTFR KO in
  astrocytes 11, AAV-CNTF 47
### Background
Ciliary neurotrophic factor (CNTF) protects neurons, but whether it acts directly on neurons
or through glial cells is unclear.

### Methods
We deleted the CNTF receptor α in astrocytes (GFAP-Cre) or delivered CNTF by adeno-associated
virus, then crushed the optic nerve (n = 8 per group). Ganglion cells were counted on
retinal flat mounts on day 14.

### Results
Astrocyte receptor deletion halved ganglion cell survival (11% vs 24%). AAV-CNTF doubled
survival to 47%, and this effect was lost without astrocyte receptors. Activated astrocytes
released LIF and neurotrophic lipids.

### Conclusions
CNTF protects ganglion cells mainly through astrocytes. Glia-directed treatments may help
optic neuropathies such as glaucoma, where direct delivery of
CNTF to neurons has so far shown limited benefit in clinical studies.

== P206 | inflam
T: NLRP3 inflammasome activation in monocytes from people with long COVID
A: Rosa Marín* 1; Kofi Boateng 2; Agnieszka Zielińska 3; Liam Doherty 4
F: University of Barcelona, Spain | University of Ghana, Accra, Ghana | Medical University of
  Warsaw, Poland | University College Dublin, Ireland
K: NLRP3; inflammasome; long COVID; monocytes; ASC specks
D: 10.5555/cyto2021.p206
G: bar | Monocytes with ASC specks | % of CD14+ monocytes | Recovered 1.2, Long COVID 4.8, Long
  COVID + MCC950 1.6
### Background
Persistent symptoms after SARS-CoV-2 infection affect many people. Sustained innate immune
activation has been proposed as a cause.

### Methods
We compared 64 adults with long COVID at 6 months with 40 fully recovered adults. ASC
specks were measured by imaging flow cytometry; IL-1β and IL-18 release by monocytes was
measured with and without the NLRP3 inhibitor MCC950.

### Results
Monocytes from people with long COVID had 4-fold more ASC specks and released 3.2-fold more
IL-1β after LPS alone, without a second signal. MCC950 reversed both. Speck frequency
correlated with fatigue scores (r = 0.44, p < 0.001).

### Conclusions
NLRP3 is primed and partially active in long COVID monocytes. NLRP3 inhibitors could be
studied as treatment for a subgroup of patients.

== P207 | inflam
T: Gasdermin D pores release IL-1β without cell death in human neutrophils
A: Hugo Lemaire* 1; Yuna Kim 2; Sipho Dlamini 3
F: Université de Montréal, Canada | KAIST, Daejeon, Republic of Korea | University of the
  Witwatersrand, Johannesburg, South Africa
K: gasdermin D; pyroptosis; neutrophils; IL-1β; hyperactivation
G: line | After nigericin | % of cells | minutes | 0 30 60 90 120 | IL-1β released: 0 22 41 55 61;
  Cell death (LDH): 0 2 4 6 8
### Background
Gasdermin D (GSDMD) forms pores that usually cause pyroptotic cell death. Neutrophils release
IL-1β but seldom die by pyroptosis.

### Methods
Human blood neutrophils from 15 donors were primed with LPS and stimulated with nigericin.
We measured IL-1β, cell death by LDH release and live imaging, and GSDMD localisation by
super-resolution microscopy.

### Results
Neutrophils released 61% of their IL-1β within 2 h while fewer than 8% died. GSDMD pores
formed mainly on azurophilic granules and autophagosomes rather than the plasma membrane.
ESCRT-III repair machinery was recruited to the few plasma membrane pores.

### Conclusions
Neutrophils use GSDMD to secrete IL-1β without dying, a state called hyperactivation.
This allows sustained IL-1β release at sites of infection.

== P208 | inflam
T: NLRC4 gain-of-function causes IL-18-dominant autoinflammation that responds to IL-18BP
A: Ahmed El-Sayed* 1; Chiara Ferrari 2; Yusuf Kaya 3
F: Cairo University, Egypt | University of Genoa, Italy | Hacettepe University, Ankara, Türkiye
K: NLRC4; IL-18; autoinflammation; IL-18 binding protein; macrophage activation syndrome
G: bar | Free serum IL-18 | pg/mL | Healthy 45, NLRC4-MAS 8200, Systemic JIA 2100, NLRC4-MAS on
  IL-18BP 310
### Background
Gain-of-function variants in NLRC4 cause recurrent macrophage activation syndrome (MAS) with
very high serum IL-18. Free, biologically active IL-18 is rarely measured.

### Methods
We measured total and free IL-18 in 6 patients with NLRC4 variants, 22 children with
systemic juvenile idiopathic arthritis (sJIA) and 30 healthy controls, and followed three
NLRC4 patients treated with recombinant IL-18 binding protein (IL-18BP) on compassionate
grounds (no identifying data reported).

### Results
Free IL-18 was 180-fold higher in NLRC4-MAS than in controls and 4-fold higher than in sJIA.
On IL-18BP, free IL-18 fell by 96%, ferritin normalised within 3 weeks and no MAS flares
occurred over 12 months of follow-up.

### Conclusions
NLRC4 autoinflammation is driven by free IL-18. Measuring free IL-18 helps diagnosis, and
IL-18BP is a promising treatment.

== P209 | inflam
T: Potassium efflux-independent NLRP3 activation by imiquimod requires mitochondrial complex I
A: Sophie Wagner* 1; Diego Castillo 2; Anjali Verma 3
F: University of Bonn, Germany | Pontificia Universidad Católica de Chile, Santiago, Chile | Indian
  Institute of Science, Bengaluru, India
K: NLRP3; imiquimod; potassium efflux; mitochondria; reactive oxygen species
G: bar | IL-1β release from macrophages | ng/mL | Nigericin 8.1, Nigericin high K⁺ 0.4, Imiquimod
  6.7, Imiquimod high K⁺ 6.2
### Background
Most NLRP3 activators act through potassium efflux. Imiquimod activates NLRP3 in its
presence, suggesting a different trigger.

### Methods
Mouse and human macrophages were stimulated with imiquimod in normal or high extracellular
potassium. We used inhibitors and genetic loss of mitochondrial complex I and measured
mitochondrial ROS and NLRP3 oligomerisation.

### Results
High potassium blocked nigericin-induced IL-1β by 95% but imiquimod-induced IL-1β by only
7%. Imiquimod inhibited complex I and increased mitochondrial ROS 5-fold; complex I-deficient
cells did not respond. NEK7 was still needed.

### Conclusions
Imiquimod activates NLRP3 through mitochondrial complex I and ROS, without potassium
efflux. NLRP3 activation has more than one upstream route, which matters for the design and
testing of NLRP3 inhibitors that target only one of them.

== P210 | inflam
T: Caspase-11 detects cytosolic LPS in intestinal epithelial cells and restricts *Salmonella*
A: Ji-woo Han* 1; Katharina Meier 2; Tomás Navarro 3
F: Seoul National University, Republic of Korea | Helmholtz Centre for Infection Research,
  Braunschweig, Germany | Universidad Nacional Autónoma de México, Mexico City, Mexico
K: caspase-11; non-canonical inflammasome; Salmonella; intestinal epithelium; pyroptosis
D: 10.5555/cyto2021.p210
G: bar | Salmonella in caecum, day 3 | log10 CFU per g | Wild type 6.2, Casp11 KO in epithelium 7.9,
  Gsdmd KO in epithelium 7.6
### Background
The non-canonical inflammasome, caspase-11 in mice (caspase-4/5 in humans), senses
cytosolic lipopolysaccharide (LPS). Its role in epithelial cells in vivo is unclear.

### Methods
We deleted *Casp11* or *Gsdmd* in intestinal epithelial cells (Villin-Cre) and infected mice
orally with *Salmonella* Typhimurium (n = 12 per group). Epithelial cell expulsion was
imaged in intestinal explants.

### Results
Epithelial loss of caspase-11 increased caecal bacterial loads 50-fold and spread to the
liver 20-fold. Infected epithelial cells were expelled from the epithelium 4 times faster in
wild-type tissue. Human colonic organoids behaved similarly with caspase-4.

### Conclusions
Caspase-11 drives the expulsion of infected epithelial cells, limiting *Salmonella* spread.
The non-canonical inflammasome is an epithelial defence as well as a trigger of septic shock.
"""
