"""Demo posters: cytokine storms, and therapeutics (biologics and JAK inhibitors)."""

LISTING = r"""
== P306 | storm
T: A serum cytokine score identifies hyperinflammation early in severe COVID-19
A: Ana Beatriz Lima* 1; Mohammed Al-Harbi 2; Emily Novak 3; Tanvir Hossain 4
F: University of São Paulo, Brazil | King Saud University, Riyadh, Saudi Arabia | Johns Hopkins
  University, Baltimore, USA | University of Dhaka, Bangladesh
K: cytokine storm; COVID-19; IL-6; CXCL10; risk score
D: 10.5555/cyto2021.p306
G: bar | Need for mechanical ventilation by score | % of patients | Score 0-1 4, Score 2-3 17, Score
  4-5 46
### Background
A subgroup of patients with COVID-19 develops hyperinflammation. Simple tools to identify them
early are needed to guide immunomodulation.

### Methods
In a retrospective analysis of anonymised data from 812 adults admitted with COVID-19 in four
hospitals, we measured IL-6, CXCL10, IL-10, ferritin and D-dimer on admission. A five-point
score was built in two centres and validated in the other two.

### Results
Each point of the score increased the odds of mechanical ventilation (odds ratio 1.9 per
point). In the validation cohort, 46% of patients with scores of 4-5 needed ventilation,
against 4% of those with 0-1 (AUC 0.81). CXCL10 added most to IL-6.

### Conclusions
A five-marker cytokine score identifies hyperinflammation at admission. It could help select
patients for IL-6 or JAK inhibition in trials.

== P307 | storm
T: Cytokine release syndrome after CD19 CAR T cells is initiated by monocyte IL-1 and sustained by
  IL-6
A: Florence Martin* 1; Wei Zhang 2; Rachel Adler 3
F: University of Glasgow, United Kingdom | Tsinghua University, Beijing, China | Hebrew University
  of Jerusalem, Israel
K: cytokine release syndrome; CAR T cells; IL-1; IL-6; anakinra
G: line | Serum IL-6 after CAR T infusion, humanised mice | pg/mL (x100) | hours | 0 12 24 48 72 |
  Control: 0.1 3.2 12 18 9; Anakinra: 0.1 0.9 2.6 3.8 2.1; Tocilizumab: 0.1 3.0 13 21 14
### Background
Cytokine release syndrome (CRS) is the main toxicity of CAR T-cell therapy. The order of
cytokines that start and sustain it is still debated.

### Methods
Humanised mice carrying CD19+ lymphoma received CD19 CAR T cells and were treated with the
IL-1 receptor antagonist anakinra or the IL-6 receptor antibody tocilizumab (n = 10 per
group). Cytokines, temperature and survival were recorded.

### Results
Monocytes released IL-1 within 6 h, before IL-6. Anakinra prevented the IL-6 rise (79%
lower peak), fever and deaths (0 of 10 vs 6 of 10), while tocilizumab reduced deaths to 3
of 10 but did not lower IL-6 itself. Neither drug reduced antitumour activity.

### Conclusions
IL-1 from monocytes starts CRS and drives IL-6. Early IL-1 blockade may prevent severe
CRS without harming CAR T-cell efficacy.

== P308 | storm
T: Interferon autoantibodies and cytokine profiles in life-threatening influenza
A: Ingrid Moen* 1; Carlos Ortega 2; Mai Thi Lan 3
F: University of Bergen, Norway | Universidad Nacional Autónoma de México, Mexico City, Mexico |
  Oxford University Clinical Research Unit, Hanoi, Viet Nam
K: autoantibodies; type I interferon; influenza; critical illness; IL-6
G: bar | Neutralising anti-IFN-α2 antibodies | % of patients | Mild influenza 0.3, Severe influenza
  2.1, Critical influenza 4.8
### Background
Autoantibodies that neutralise type I interferons are found in some people with critical
COVID-19. Their role in influenza is less well studied.

### Methods
We screened stored anonymised plasma from 640 adults with laboratory-confirmed influenza
(mild, severe or critical) for antibodies neutralising IFN-α2 and IFN-ω, and measured 30
cytokines.

### Results
Neutralising antibodies were found in 4.8% of critical cases but in 0.3% of mild cases.
Patients with antibodies had low nasal ISG expression and higher plasma IL-6 and IL-8, a
pattern of delayed antiviral response followed by hyperinflammation.

### Conclusions
Autoantibodies against type I interferons predispose to critical influenza as well as
COVID-19. Testing could identify people who may benefit from early antivirals or IFN-λ.

== P309 | storm
T: Endothelial Tie2 signalling protects against vascular leak during experimental cytokine storm
A: Daniel Friedman* 1; Kaori Shimizu 2; Olga Ivanova 3
F: Weizmann Institute of Science, Rehovot, Israel | Keio University, Tokyo, Japan | Lomonosov Moscow
  State University, Russia
K: cytokine storm; vascular leak; angiopoietin-2; Tie2; endothelium
G: bar | Lung vascular leak (Evans blue) | µg per g lung | Control 18, Cytokine storm 74, Cytokine
  storm + Tie2 activator 31
### Background
Vascular leak causes organ failure in cytokine storms. Angiopoietin-2 (Ang-2) rises in
patients and blocks the protective Tie2 receptor on endothelial cells.

### Methods
Mice received an agonist anti-CD40 antibody with IL-12 to induce a cytokine storm, with
or without a Tie2-activating antibody (n = 12 per group). Vascular leak, organ damage and
survival were measured.

### Results
Cytokine storm increased lung leak 4-fold and plasma Ang-2 6-fold. The Tie2 activator
reduced leak by 77%, preserved VE-cadherin junctions and increased survival from 25% to
67%, without reducing cytokine levels.

### Conclusions
Protecting the endothelium through Tie2 reduces leak and death in cytokine storm without
suppressing immunity, which matters when the storm is driven by an infection. Endothelial
protection could complement anti-cytokine therapy.

== P310 | storm
T: Haemophagocytic lymphohistiocytosis in adults: a perforin-independent IFN-γ signature
A: Giovanni Esposito* 1; Zainab Bello 2; Hannah Becker 3
F: University of Naples Federico II, Italy | Ahmadu Bello University, Zaria, Nigeria | Heidelberg
  University, Germany
K: haemophagocytic lymphohistiocytosis; IFN-γ; CXCL9; adults; emapalumab
G: bar | Serum CXCL9 | ng/mL | Healthy 0.1, Sepsis 1.2, Adult HLH 21
### Background
Haemophagocytic lymphohistiocytosis (HLH) in adults is usually triggered by infection,
cancer or autoimmunity rather than inherited defects in cytotoxicity. The role of IFN-γ in
adult HLH is unclear.

### Methods
We measured CXCL9, a marker of IFN-γ activity, and other cytokines in stored anonymised serum
from 42 adults with HLH and 50 with sepsis. Perforin and degranulation assays were performed
on stored cells.

### Results
CXCL9 was 17-fold higher in adult HLH than in sepsis. Cytotoxicity was normal in 88% of
adults with HLH, yet all had a strong IFN-γ signature. Higher CXCL9 predicted death at 30
days (hazard ratio 2.4).

### Conclusions
Adult HLH is IFN-γ-driven even when cytotoxicity is normal. IFN-γ blockade with emapalumab
should be tested in adults.

== P401 | thera
T: Real-world effectiveness of baricitinib in hospitalised COVID-19: a propensity-matched analysis
A: Sam Speaker* 1; Omar Farouk 2; Jessica Wong 3
F: University of Pennsylvania, Philadelphia, USA | Cairo University, Egypt | University of
  Melbourne, Australia
K: baricitinib; JAK inhibitors; COVID-19; real-world evidence; mortality
D: 10.5555/cyto2021.p401
L: Study protocol (demo) | https://example.org/cytokines2021/p401-protocol
G: line | Survival to day 28 | % alive | day | 0 7 14 21 28 | Standard care: 100 94 88 85 83;
  Baricitinib: 100 96 92 90 89
### Background
Clinical trials showed that the JAK1/2 inhibitor baricitinib reduces mortality in
hospitalised COVID-19. Real-world data can test whether the benefit holds outside trials.

### Methods
In a retrospective analysis of anonymised records from 2,140 adults admitted with COVID-19
needing oxygen across three hospital systems, 612 patients receiving baricitinib were
matched 1:1 by propensity score to patients receiving standard care.

### Results
Mortality at day 28 was 11% with baricitinib and 17% with standard care (hazard ratio 0.63,
95% CI 0.47-0.85). Benefit was greatest in patients on high-flow oxygen. Secondary infections
were similar (8.2% vs 7.6%).

### Conclusions
Baricitinib is associated with lower mortality in routine care, consistent with trial
results. JAK inhibition is safe to use in this setting with infection monitoring.

== P402 | thera
T: Anifrolumab normalises the interferon signature in skin and blood of patients with lupus
A: Helena Berg* 1; Rui Tavares 2; Nomvula Sithole 3
F: Uppsala University, Sweden | University of Porto, Portugal | University of the Witwatersrand,
  Johannesburg, South Africa
K: anifrolumab; IFNAR1; systemic lupus erythematosus; interferon signature; biologics
G: bar | 21-gene IFN signature | % of baseline | Blood week 12 18, Blood week 24 15, Skin week 12
  34, Skin week 24 22
### Background
Anifrolumab, an antibody against IFNAR1, is approved for systemic lupus erythematosus (SLE).
Its effect on the interferon signature in affected tissue has not been described in detail.

### Methods
In an observational study, 26 patients with SLE and skin involvement starting anifrolumab gave
blood and skin samples at baseline, week 12 and week 24. Gene expression was measured by
RNA-seq and skin disease by CLASI score.

### Results
The blood IFN signature fell by 82% by week 12. In skin it fell more slowly (66% by week 12,
78% by week 24), in parallel with CLASI improvement (median score 14 to 5). pDC numbers in
skin did not change.

### Conclusions
IFNAR1 blockade normalises the interferon signature in skin more slowly than in blood. Skin
biomarkers could guide treatment duration.

== P403 | thera
T: Tofacitinib and upadacitinib differ in their effects on NK cell function in rheumatoid arthritis
A: Sarah Kim* 1; Matteo Galli 2; Ayodele Ogunleye 3
F: University of Toronto, Canada | University of Padua, Italy | Obafemi Awolowo University, Ile-Ife,
  Nigeria
K: JAK inhibitors; NK cells; tofacitinib; upadacitinib; herpes zoster
G: bar | NK cell cytotoxicity against K562 | % of baseline | Tofacitinib week 12 58, Upadacitinib
  week 12 71, Methotrexate week 12 97
### Background
JAK inhibitors raise the risk of herpes zoster. NK cells depend on IL-15, which signals
through JAK1 and JAK3, and may be affected differently by different inhibitors.

### Methods
We studied 60 patients with rheumatoid arthritis starting tofacitinib, upadacitinib or
methotrexate (20 each). NK cell counts, IL-15 signalling and cytotoxicity were measured at
baseline and week 12.

### Results
Tofacitinib reduced NK cytotoxicity by 42% and pSTAT5 responses to IL-15 by 55%;
upadacitinib reduced them by 29% and 37%. NK cell numbers fell by 20% with both. Changes
were reversible within 4 weeks of stopping treatment.

### Conclusions
JAK inhibitors reduce NK cell function, with tofacitinib having a stronger effect than
upadacitinib at approved doses. Zoster vaccination before treatment is advisable.

== P404 | thera
T: A long-acting IL-2 mutein selective for regulatory T cells: phase 1 pharmacodynamics in healthy
  volunteers
A: Jonathan Price* 1; Ayşe Çelik 2; Ming Li 3
F: University of Oxford, United Kingdom | Hacettepe University, Ankara, Türkiye | Peking University,
  Beijing, China
K: IL-2; regulatory T cells; biologics; phase 1; autoimmunity
D: 10.5555/cyto2021.p404
G: line | Regulatory T cells after one dose | fold change from baseline | day | 0 3 7 10 14 | 1
  mg/kg: 1.0 1.4 2.1 1.8 1.3; 3 mg/kg: 1.0 1.8 3.4 2.9 1.9
### Background
Low-dose IL-2 expands regulatory T cells (Tregs) but has a short half-life and a narrow
window. Engineered IL-2 muteins with reduced IL-2Rβ binding may be more selective.

### Methods
In a phase 1 study, 40 healthy volunteers received a single dose of an Fc-fused IL-2 mutein
(0.3 to 3 mg/kg) or placebo. Tregs, NK cells and CD8 T cells were measured by flow cytometry
for 28 days. All data are invented for this demo.

### Results
Tregs increased up to 3.4-fold at 3 mg/kg, peaking on day 7, with no change in NK or CD8
T-cell counts. The half-life was 5.8 days. Adverse events were mild injection-site
reactions.

### Conclusions
The IL-2 mutein selectively expands Tregs with a long duration of action. Studies in
autoimmune disease are planned.

== P405 | thera
T: Switching from IL-17A to IL-23 inhibitors in psoriasis: a multicentre retrospective study
A: Lucía Romero* 1; Andreas Schneider 2; Hyun-ji Park 3
F: University of Barcelona, Spain | Medical University of Vienna, Austria | Seoul National
  University, Republic of Korea
K: biologics; IL-17A inhibitors; IL-23 inhibitors; psoriasis; treatment switching
G: bar | PASI 90 response at week 16 after switch | % of patients | Primary failure 38, Secondary
  failure 61, Adverse event 72
### Background
Many patients with psoriasis switch biologics. Whether the reason for stopping an IL-17A
inhibitor predicts response to an IL-23 inhibitor is not known.

### Methods
We analysed anonymised records of 328 adults who switched from an IL-17A inhibitor to an
IL-23p19 inhibitor in 9 dermatology centres, grouped by reason for switching.

### Results
PASI 90 at week 16 was reached by 38% after primary failure, 61% after secondary failure
and 72% after switching for adverse events (p < 0.001). Obesity and prior failure of
anti-TNF predicted lower response.

### Conclusions
Switching to IL-23 inhibition is effective, especially after secondary failure. The reason
for switching should guide expectations and the counselling of patients, and prospective
studies should record it.

== P406 | thera
T: Inhaled interferon-β in older adults with influenza-like illness: a pilot randomised trial
A: Nicholas Reid* 1; Sunita Rao 2; Camila Rojas 3
F: University of Southampton, United Kingdom | Christian Medical College, Vellore, India |
  Universidad de Chile, Santiago, Chile
K: interferon-β; inhaled therapy; influenza; older adults; clinical trial
G: bar | Time to symptom resolution | median days | Placebo 9.5, Inhaled IFN-β 6.5
### Background
Older adults often respond poorly to respiratory viruses and may lack early interferon
responses. Inhaled IFN-β delivers interferon to the airway.

### Methods
In a pilot randomised, double-blind trial (invented for this demo), 120 adults aged 65 or over
with influenza-like illness received inhaled IFN-β or placebo for 7 days, starting within 48
hours of symptoms.

### Results
Symptoms resolved 3 days earlier with IFN-β (median 6.5 vs 9.5 days). Nasal viral loads fell
faster, and hospital admission occurred in 3% vs 10%. Adverse events were similar, mostly
cough and headache.

### Conclusions
Inhaled IFN-β is well tolerated and may speed recovery in older adults. A larger trial is
needed to confirm effects on hospital admission.

== P407 | thera
T: A JAK1-selective inhibitor for steroid-refractory acute graft-versus-host disease: early response
  predictors
A: Sam Speaker* 1; Kirsten Vogt 2; Hiro Tanabe 3
F: University of Pennsylvania, Philadelphia, USA | University of Freiburg, Germany | Nagoya
  University, Japan
K: JAK inhibitors; graft-versus-host disease; ruxolitinib; biomarkers; ST2
S: draft
G: path | Targets of JAK inhibition in GVHD | IFN-γ / IL-6 > JAK1/JAK2 > STAT1/STAT3 > CXCL9, Th1 >
  tissue damage
### Background
Ruxolitinib, a JAK1/2 inhibitor, is the standard treatment for steroid-refractory acute
graft-versus-host disease (GVHD). Early markers of response would help switch treatment
sooner.

### Methods
A draft: anonymised data from 74 patients treated with ruxolitinib are being analysed for
serum ST2, REG3α, CXCL9 and IL-6 at baseline and day 7.

### Results
Preliminary: a fall in CXCL9 of more than 50% by day 7 was seen in 70% of responders and 22%
of non-responders. Baseline ST2 above 150 ng/mL predicted non-response.

### Conclusions
Serum ST2 and early CXCL9 changes may predict response to JAK inhibition in GVHD. If
confirmed, patients unlikely to respond could move to second-line treatment a week earlier.
Analysis continues, and the abstract will be updated before the poster is submitted.
"""
