"""Demo posters: the IL-1 family, and viral evasion of interferon."""

LISTING = r"""
== P221 | il1
T: IL-33 released from necrotic hepatocytes drives type 2 inflammation after liver injury
A: Yara Haddad* 1; Connor Walsh 2; Min-seo Jung 3
F: American University of Beirut, Lebanon | Trinity College Dublin, Ireland | Seoul National
  University, Republic of Korea
K: IL-33; alarmins; ST2; liver injury; ILC2
D: 10.5555/cyto2021.p221
G: bar | Liver ILC2 after injury | cells per liver (x1000) | Uninjured 4, Injury 38, Injury in Il33
  KO 9, Injury + anti-ST2 11
### Background
IL-33 is an IL-1 family alarmin stored in the nucleus and released when cells die. Its role
after sterile liver injury is not well understood.

### Methods
Mice with hepatocyte-specific *Il33* deletion and controls received carbon tetrachloride
(n = 10 per group). We measured IL-33 release, ILC2 expansion, eosinophils and liver repair
over 7 days.

### Results
Hepatocyte IL-33 was released within 6 h and expanded liver ILC2 9-fold. ILC2 produced IL-13,
which promoted repair: without hepatocyte IL-33 or with ST2 blockade, necrotic areas were
40% larger on day 3, but fibrosis markers were lower on day 7.

### Conclusions
Hepatocyte IL-33 starts a type 2 response that speeds repair but may favour fibrosis if
sustained. The timing of IL-33 blockade would matter in liver disease.

== P222 | il1
T: IL-36γ from keratinocytes amplifies neutrophil extracellular trap formation in generalised
  pustular psoriasis
A: Nadia Rahman* 1; Étienne Girard 2; Kasia Wiśniewska 3
F: University of Dhaka, Bangladesh | Université de Montréal, Canada | Medical University of Warsaw,
  Poland
K: IL-36; generalised pustular psoriasis; neutrophil extracellular traps; IL-36RN; keratinocytes
G: bar | NETs formed by neutrophils ex vivo | % of neutrophils | Medium 4, IL-36γ 19, IL-36γ +
  IL-36Ra 6, IL-36γ + anti-IL-36R 5
### Background
Generalised pustular psoriasis (GPP) is a severe disease linked to loss of the IL-36
receptor antagonist. How IL-36 drives the pustules full of neutrophils is unclear.

### Methods
Neutrophils from healthy donors (n = 12) were exposed to active IL-36γ, with or without the
receptor antagonist or an anti-IL-36R antibody. Archived anonymised skin biopsies from 15
patients with GPP were stained for IL-36γ and NETs.

### Results
IL-36γ induced NETs in 19% of neutrophils, and NET-bound proteases (elastase, cathepsin G)
cleaved and activated more IL-36γ. Blocking the receptor stopped this loop. GPP pustules
contained dense NETs next to IL-36γ-rich keratinocytes.

### Conclusions
IL-36 and neutrophils form a feed-forward loop in GPP. Blocking the IL-36 receptor breaks
this loop, supporting the use of anti-IL-36R therapy.

== P223 | il1
T: IL-18 binding protein levels distinguish macrophage activation syndrome from sepsis in children
A: Giorgia Marchetti* 1; Obinna Eze 2; Aleksandra Popović 3
F: University of Genoa, Italy | University of Nigeria, Nsukka, Nigeria | University of Belgrade,
  Serbia
K: IL-18; IL-18 binding protein; macrophage activation syndrome; sepsis; biomarkers
G: bar | Free IL-18 | pg/mL | Healthy 42, Sepsis 280, MAS 3400
### Background
Macrophage activation syndrome (MAS) and sepsis look alike but need different treatment. The
ratio of IL-18 to its natural inhibitor IL-18BP defines free, active IL-18.

### Methods
In a retrospective study of anonymised stored serum from 58 children with MAS, 74 with
sepsis and 40 controls, we measured total IL-18 and IL-18BP and calculated free IL-18.

### Results
Free IL-18 was 12-fold higher in MAS than in sepsis. A cut-off of 1,000 pg/mL separated MAS
from sepsis with 88% sensitivity and 91% specificity, better than ferritin (AUC 0.94 vs
0.78). IL-18BP rose in both conditions and did not discriminate on its own.

### Conclusions
Free IL-18 is a strong biomarker for MAS. Rapid assays could help clinicians decide early
on immunosuppressive treatment.

== P224 | il1
T: IL-1α on the surface of senescent endothelial cells activates neighbouring cells through contact
A: Benjamin Clarke* 1; Hye-won Shin 2; Isabel Rocha 3
F: University of Manchester, United Kingdom | KAIST, Daejeon, Republic of Korea | University of
  Porto, Portugal
K: IL-1α; senescence; endothelial cells; juxtacrine signalling; SASP
G: bar | VCAM-1 on neighbouring endothelial cells | MFI (x1000) | Young 1.1, Co-culture senescent
  4.6, Transwell senescent 1.5, Co-culture + anti-IL-1α 1.4
### Background
Senescent cells affect their neighbours through secreted factors. IL-1α can also be
displayed on the cell surface, but this form is rarely studied.

### Methods
Human aortic endothelial cells were made senescent with irradiation and cultured with
young endothelial cells in direct contact or in transwells. IL-1α was blocked with
antibodies or deleted by CRISPR.

### Results
Contact with senescent cells increased VCAM-1 on young cells 4-fold; separation by a
membrane nearly abolished the effect. Surface IL-1α was anchored by a
glycosylphosphatidylinositol-linked partner and was enough to activate NF-κB in neighbours.

### Conclusions
Senescent endothelial cells spread inflammation through surface IL-1α, and this juxtacrine
route is missed by assays of secreted factors. Blocking IL-1α may limit vascular ageing.

== P225 | il1
T: IL-37 restrains trained immunity in human monocytes
A: Tim de Graaf* 1; Ana Moreira 2; Li Na 3
F: Radboud University Medical Center, Nijmegen, Netherlands | University of Coimbra, Portugal | Sun
  Yat-sen University, Guangzhou, China
K: IL-37; trained immunity; monocytes; β-glucan; metabolism
D: 10.5555/cyto2021.p225
G: bar | TNF after re-stimulation of β-glucan-trained monocytes | pg/mL | Untrained 420, Trained
  1650, Trained + IL-37 690
### Background
Trained immunity is a long-lasting increase in innate immune responses after exposure to
stimuli such as β-glucan. IL-37 is an anti-inflammatory IL-1 family cytokine.

### Methods
Monocytes from 16 healthy donors were trained with β-glucan for 24 h, rested for 5 days and
re-stimulated with LPS. Recombinant IL-37 was added during training. Metabolic and epigenetic
changes were measured.

### Results
IL-37 reduced TNF and IL-6 after re-stimulation by 58% and 62%. It prevented the shift to
glycolysis and reduced H3K4me3 at promoters of inflammatory genes. In mice, IL-37 transgenic
animals did not show trained protection against *Candida* infection.

### Conclusions
IL-37 counteracts the metabolic and epigenetic changes of trained immunity. It could be used
to calm harmful trained responses in inflammatory diseases.

== P301 | evasion
T: The SARS-CoV-2 ORF6 protein blocks STAT1 nuclear import by binding the Nup98-Rae1 complex
A: Kai Müller* 1; Valentina Russo 2; Adebola Akinola 3
F: Charité - Universitätsmedizin Berlin, Germany | University of Milan, Italy | University of
  Ibadan, Nigeria
K: SARS-CoV-2; ORF6; STAT1; nuclear import; viral evasion
D: 10.5555/cyto2021.p301
G: bar | Nuclear STAT1 after IFN-β | % of cells | Empty vector 84, ORF6 12, ORF6 M58R 79, ORF6 +
  Rae1 overexpression 51
### Background
SARS-CoV-2 delays the interferon response. Its accessory protein ORF6 has been proposed to
block the movement of signalling proteins into the nucleus.

### Methods
We expressed ORF6 and point mutants in A549-ACE2 cells and measured STAT1 nuclear import
after IFN-β by imaging. Binding partners were identified by mass spectrometry and tested
by co-immunoprecipitation and infection with ORF6-deleted virus.

### Results
ORF6 reduced STAT1 nuclear import from 84% to 12% of cells. Its C-terminal methionine (M58)
bound the Nup98-Rae1 complex; the M58R mutant did not bind and did not block import. Virus
lacking ORF6 induced 10-fold more ISGs and grew 8-fold less in airway cultures.

### Conclusions
ORF6 blocks interferon signalling by occupying Nup98-Rae1. This interaction is a possible
antiviral drug target.

== P302 | evasion
T: Hepatitis B virus X protein degrades MAVS in hepatocytes to blunt IFN-λ induction
A: Liu Yang* 1; Nguyen Thi Hoa 2; Marek Dvořák 3
F: Zhejiang University, Hangzhou, China | Oxford University Clinical Research Unit, Ho Chi Minh
  City, Viet Nam | Charles University, Prague, Czech Republic
K: hepatitis B virus; HBx; MAVS; IFN-λ; ubiquitination
G: bar | IFN-λ1 after poly(I:C) transfection | pg/mL | No virus 1450, HBV 380, HBV ΔX 1290
### Background
Hepatitis B virus (HBV) induces few interferons in the liver. The viral X protein (HBx) has
many reported functions, including effects on innate signalling.

### Methods
Primary human hepatocytes and HepG2-NTCP cells were infected with wild-type HBV or HBV lacking
X (ΔX). We measured IFN-λ1 after poly(I:C) stimulation, MAVS protein levels and MAVS
ubiquitination.

### Results
HBV infection reduced IFN-λ1 by 74%, while HBV ΔX reduced it by only 11%. HBx recruited the
E3 ligase RNF5 to MAVS, increasing K48-linked ubiquitination and degradation. Silencing RNF5
restored the IFN-λ response.

### Conclusions
HBx silences innate sensing by degrading MAVS through RNF5. Blocking this interaction could
restore interferon responses in chronic hepatitis B and help treatments aiming at a
functional cure.

== P303 | evasion
T: Dengue virus NS5 targets STAT2 for degradation in human but not mouse cells through UBR4
A: Rafael Souza* 1; Pooja Iyer 2; Sophie Taylor 3
F: Oswaldo Cruz Foundation (Fiocruz), Rio de Janeiro, Brazil | All India Institute of Medical
  Sciences, New Delhi, India | University of Glasgow, United Kingdom
K: dengue virus; NS5; STAT2; UBR4; host species restriction
G: bar | STAT2 protein with dengue NS5 | % of control | Human cells 8, Mouse cells 94, Mouse cells +
  human STAT2 12
### Background
Dengue virus does not grow well in mice, partly because it cannot block the mouse
interferon response. The viral NS5 protein degrades human STAT2.

### Methods
We expressed NS5 in human and mouse cells and swapped STAT2 domains between species. UBR4
was silenced or deleted. Mice expressing human STAT2 were infected with dengue virus serotype
2 (n = 8 per group).

### Results
NS5 degraded 92% of human STAT2 but only 6% of mouse STAT2. The difference mapped to the
STAT2 coiled-coil domain. UBR4 was needed for degradation. Mice with human STAT2 had 100-fold
higher viraemia than wild-type mice.

### Conclusions
Species-specific STAT2 degradation by NS5 restricts dengue virus to humans. Human STAT2 mice
are a new model for dengue research.

== P304 | evasion
T: Herpes simplex virus ICP0 dismantles IFI16 to escape nuclear DNA sensing in keratinocytes
A: Grace Mwangi* 1; Anders Dahl 2; Jia Wei 3
F: University of Nairobi, Kenya | Aarhus University, Denmark | Peking University, Beijing, China
K: HSV-1; ICP0; IFI16; DNA sensing; keratinocytes
G: line | IFNB1 mRNA after infection | fold change | hours | 0 2 4 6 8 | HSV-1 wild type: 1 4 6 5 3;
  HSV-1 ICP0-null: 1 12 38 52 49
### Background
Herpes simplex virus type 1 (HSV-1) replicates in the nucleus, where its DNA can be detected
by IFI16. The viral protein ICP0 is a ubiquitin ligase that degrades nuclear proteins.

### Methods
Primary human keratinocytes were infected with wild-type or ICP0-null HSV-1. We measured IFI16
levels, IFNB1 mRNA and virus yield, and repeated infections after IFI16 knockout.

### Results
ICP0 degraded IFI16 within 4 h. ICP0-null virus induced 10-fold more IFNB1 and grew
100-fold less, but grew normally in IFI16-knockout cells. IFI16 degradation required the
RING domain of ICP0 and the IFI16 pyrin domain.

### Conclusions
HSV-1 escapes nuclear DNA sensing by degrading IFI16 through ICP0. This explains part of the
attenuation of ICP0-null vaccine candidates.

== P305 | evasion
T: Influenza NS1 proteins from avian and human strains differ in their suppression of TRIM25
A: Marie Dupont* 1; Hiroshi Kato 2; Jabu Ndlovu 3
F: Institut Pasteur, Paris, France | University of Tokyo, Japan | University of Cape Town, South
  Africa
K: influenza A virus; NS1; TRIM25; RIG-I; host adaptation
D: 10.5555/cyto2021.p305
G: bar | IFN-β reporter in human cells with NS1 | % of no-NS1 control | Human H3N2 NS1 9, Human H1N1
  NS1 14, Avian H5N1 NS1 46, Avian H7N9 NS1 52
### Background
The influenza NS1 protein blocks RIG-I activation by binding TRIM25. Avian and human strains
may differ in how well they do this in human cells.

### Methods
We tested NS1 proteins from 12 influenza strains in human and chicken cells with reporter
assays, binding studies and recombinant viruses carrying swapped NS1 genes.

### Results
Human-adapted NS1 proteins suppressed the IFN-β reporter by 86-91% in human cells, while
avian NS1 proteins suppressed it by only 48-54%. Two residues in the NS1 effector domain
(positions 96 and 99) determined binding to human TRIM25.

### Conclusions
Adaptation of NS1 to human TRIM25 may be a step in the emergence of pandemic strains.
These residues could be watched in surveillance of avian viruses.
"""
