"""Demo posters: type I and type II interferon signalling, type III interferons."""

LISTING = r"""
== P101 | ifn
T: Tonic type I interferon signalling sets the antiviral threshold of lung epithelial cells
A: Ingrid Halvorsen* 1; Tomás Ibarra 1; Kaito Morimoto 2; Annika Sjöberg 1
F: Karolinska Institutet, Stockholm, Sweden | RIKEN Center for Integrative Medical Sciences,
  Yokohama, Japan
K: type I interferon; tonic signalling; IFNAR1; airway epithelium; interferon-stimulated genes
D: 10.5555/cyto2021.p101
G: bar | Basal ISG score in airway epithelial cells | ISG score (a.u.) | WT 1.00, IFNAR1 KO 0.21,
  IFNB1 KO 0.38, STAT2 KO 0.26
### Background
Low-level, constitutive type I interferon (IFN) signalling is thought to keep cells ready to
respond to infection, but its source and size in the human airway are poorly defined.

### Methods
We generated IFNAR1, IFNB1 and STAT2 knockouts in air-liquid interface cultures of primary
bronchial epithelial cells (n = 6 donors) and measured a 12-gene ISG score by RT-qPCR and
bulk RNA-seq. Cultures were then infected with influenza A virus (MOI 0.01).

### Results
Loss of IFNAR1 lowered the basal ISG score by 79% (p < 0.001) and loss of IFNB1 by 62%,
pointing to autocrine IFN-β as the main tonic source. Knockout cultures released 8- to
15-fold more virus at 48 h and showed delayed induction of *IFIT1* and *MX1*. Adding
1 IU/mL IFN-β for 24 h before infection restored wild-type control of viral growth.

### Conclusions
Autocrine IFN-β maintains a measurable tonic ISG signature in the airway epithelium that
sets how fast the first infected cells respond. Tonic signalling may explain donor-to-donor
differences in susceptibility to respiratory viruses.

== P102 | ifn
T: USP18 buffers IFN-α but not IFN-β responses in human monocyte-derived macrophages
A: Camille Rousseau* 1; Bastien Lefort 1; Yasmin Haddad 2
F: Institut Pasteur, Paris, France | American University of Beirut, Lebanon
K: USP18; IFN-α; IFN-β; macrophages; negative regulation
G: line | pSTAT1 after re-stimulation with IFN-α2 | pSTAT1 (% of peak) | hours | 0 1 2 4 8 16 |
  Control: 100 96 88 70 52 41; USP18 siRNA: 100 99 97 95 91 88
### Background
USP18 binds IFNAR2 and limits type I IFN signalling. Whether it discriminates between IFN
subtypes in human myeloid cells is unclear.

### Methods
Monocyte-derived macrophages from 10 healthy donors were primed with IFN-α2 or IFN-β
(100 pM), rested, and re-stimulated. USP18 was silenced with siRNA. We measured
phosphorylated STAT1 by flow cytometry and ISG expression by NanoString.

### Results
After IFN-α2 priming, control cells became desensitised: pSTAT1 fell to 41% of its peak by
16 h, whereas USP18-silenced cells kept 88% (p < 0.01). IFN-β responses were only
modestly affected (peak pSTAT1 94% vs 97%). Silencing USP18 increased the expression of
142 ISGs by more than two-fold after IFN-α2 but only 23 after IFN-β.

### Conclusions
USP18 selectively desensitises macrophages to IFN-α, consistent with the higher affinity of
IFN-β for IFNAR1. Subtype-specific desensitisation may shape myeloid responses during
chronic viral infection and interferonopathies.

== P103 | ifn
T: IFN-γ-induced GBP1 restricts *Toxoplasma gondii* in human endothelial cells independently of
  autophagy
A: Olumide Adebayo* 1; Fiona McAllister 2; Rafael Quintero 1
F: University of Ibadan, Nigeria | University of Glasgow, United Kingdom
K: IFN-γ; guanylate-binding proteins; GBP1; Toxoplasma gondii; endothelial cells
D: 10.5555/cyto2021.p103
G: bar | Parasite vacuoles per 100 cells, 24 h | vacuoles | Untreated 42, IFN-γ 11, IFN-γ + GBP1 KO
  37, IFN-γ + ATG16L1 KO 13
### Background
Interferon-γ protects human cells against intracellular parasites through guanylate-binding
proteins (GBPs), but the contribution of autophagy proteins differs between cell types.

### Methods
Human umbilical vein endothelial cells (HUVEC) were engineered to lack GBP1 or ATG16L1,
treated with IFN-γ (50 U/mL, 18 h) and infected with type II *T. gondii* expressing
tdTomato. Vacuoles were counted by high-content imaging in triplicate experiments.

### Results
IFN-γ reduced parasite vacuoles by 74%. Deleting GBP1 abolished most of this effect
(37 vs 11 vacuoles per 100 cells), while ATG16L1 deletion did not (13 per 100 cells).
GBP1 coated 61% of vacuoles within 2 h and led to vacuole rupture in live imaging.

### Conclusions
In endothelial cells, GBP1 is necessary for IFN-γ-mediated control of *T. gondii* and acts
without the autophagy machinery, unlike in fibroblasts. Endothelial GBP1 could limit
parasite dissemination through the bloodstream.

== P104 | ifn
T: A single-cell atlas of interferon-stimulated gene heterogeneity in human blood after IFN-β
  treatment
A: Sam Speaker* 1; Rahul Deshpande 1; Hana Svobodová 2; Gareth Pugh 3
F: University of Pennsylvania, Philadelphia, USA | Charles University, Prague, Czech Republic |
  Cardiff University, United Kingdom
K: single-cell RNA-seq; interferon-stimulated genes; IFN-β; heterogeneity; peripheral blood
D: 10.5555/cyto2021.p104
L: Interactive atlas (demo) | https://example.org/cytokines2021/isg-atlas
L: Analysis code | https://example.org/cytokines2021/isg-atlas-code
G: bar | Cells with high ISG score, 6 h after IFN-β | % of cells | Monocytes 92, pDC 88, B cells 71,
  NK cells 54, CD8 T 43, CD4 T 38
### Background
Cells exposed to the same dose of type I interferon express interferon-stimulated genes
(ISGs) to very different extents. How this variation is distributed across blood cell types
in people is not known.

### Methods
We profiled 84,000 peripheral blood mononuclear cells from 8 volunteers before and 6 h
after stimulation with IFN-β (1,000 U/mL) ex vivo, using droplet-based single-cell RNA-seq,
and scored 38 canonical ISGs per cell.

### Results
Monocytes and plasmacytoid dendritic cells responded almost uniformly (92% and 88% of cells
ISG-high), while only 38% of CD4 T cells did. Within CD4 T cells, naive cells responded
less than memory cells (odds ratio 0.42). Basal expression of *IRF9* and *STAT2* explained
31% of the cell-to-cell variation.

### Conclusions
ISG responses to IFN-β are bimodal in lymphocytes and uniform in myeloid cells, and baseline
levels of ISGF3 components predict responsiveness. This map may help interpret ISG
signatures in blood from patients treated with interferons.

== P105 | ifn
T: STING-independent induction of IFN-β by mitochondrial DNA in senescent fibroblasts
A: Julia Hoffmann* 1; Mehmet Aydin 2; Sarah Lindgren 1
F: Helmholtz Centre for Infection Research, Braunschweig, Germany | Koç University, Istanbul,
  Türkiye
K: senescence; mitochondrial DNA; IFN-β; cGAS; ZBP1
G: path | An alternative route from mitochondrial DNA to IFN-β | mtDNA release > ZBP1 > RIPK3 > TBK1
  > IRF3 > IFN-β
### Background
Senescent cells produce type I interferon, which contributes to the
senescence-associated secretory phenotype (SASP). The cGAS-STING pathway is thought to
be the main route.

### Methods
Senescence was induced in human lung fibroblasts by etoposide or replicative exhaustion.
We deleted *STING1*, *CGAS* or *ZBP1* with CRISPR-Cas9 and depleted mitochondrial DNA with
ethidium bromide. IFN-β was measured by ELISA over 14 days.

### Results
Senescent fibroblasts secreted 85-140 pg/mL IFN-β by day 10. Deleting STING lowered this by
only 35%, whereas mtDNA depletion lowered it by 88%. ZBP1 deletion reduced IFN-β by 57% in
STING-deficient cells and co-immunoprecipitated with oxidised mtDNA fragments.

### Conclusions
Mitochondrial DNA drives IFN-β in senescent fibroblasts partly through a ZBP1-RIPK3
route independent of STING. Targeting this route may dampen interferon-driven SASP.

== P106 | ifnl
T: IFN-λ protects the intestinal epithelium from rotavirus without systemic inflammation in mice
A: Sofie Andersen* 1; Matías Fuentes 2; Lucy Harrington 3
F: University of Copenhagen, Denmark | Universidad de Chile, Santiago, Chile | University of
  Cambridge, United Kingdom
K: type III interferon; IFN-λ; rotavirus; intestinal epithelium; IFNLR1
D: 10.5555/cyto2021.p106
G: line | Rotavirus antigen in stool | ELISA OD450 | days post infection | 1 2 3 4 5 6 7 | Vehicle:
  0.3 1.4 2.1 1.9 1.2 0.6 0.2; PEG-IFN-λ2: 0.2 0.5 0.6 0.4 0.2 0.1 0.1
### Background
Type III interferons (IFN-λ) act mainly on epithelial cells because their receptor, IFNLR1,
is restricted to barrier tissues. This makes IFN-λ attractive for treating enteric viral
infections without the side effects of type I IFN.

### Methods
Neonatal mice lacking *Ifnlr1* in intestinal epithelial cells (Villin-Cre) and littermate
controls were infected with murine rotavirus (EDIM). Groups of 8-10 pups were treated with
pegylated IFN-λ2 (1 µg, daily) or vehicle.

### Results
PEG-IFN-λ2 reduced viral shedding by 71% (area under the curve, p < 0.001) and prevented
diarrhoea in 8 of 10 pups. It had no effect in epithelium-specific *Ifnlr1* knockouts.
Serum IL-6 and CXCL10 stayed at baseline, and there were no changes in blood counts.

### Conclusions
IFN-λ controls rotavirus by acting directly on intestinal epithelial cells and does so
without systemic inflammation. These results support the development of IFN-λ for enteric
infections.

== P107 | ifnl
T: Genetic variants near *IFNL4* shape the nasal interferon response to SARS-CoV-2
A: Kwabena Owusu* 1; Helena Marques 2; Ji-hoon Lee 3; Natalia Petrova 2
F: Kwame Nkrumah University of Science and Technology, Kumasi, Ghana | University of Lisbon,
  Portugal | Yonsei University, Seoul, Republic of Korea
K: IFNL4; IFN-λ; genetic variation; SARS-CoV-2; nasal epithelium
G: bar | Nasal IFN-λ1 at diagnosis, by genotype | pg/mL | TT/TT 310, TT/ΔG 205, ΔG/ΔG 142
### Background
The *IFNL4* ΔG allele, common in people of African ancestry, encodes an active IFN-λ4 that
is linked to poor clearance of hepatitis C. Its effect on respiratory viral infection is
uncertain.

### Methods
We genotyped rs368234815 in 412 adults with mild SARS-CoV-2 infection from three countries
and measured IFN-λ1, IFN-λ2/3 and CXCL10 in nasal swabs collected within 48 h of a positive
test. Viral load was measured by RT-qPCR on days 1, 4 and 7.

### Results
Carriers of two ΔG alleles had 54% lower nasal IFN-λ1 than TT/TT homozygotes (p = 0.003)
and cleared the virus later (median 9 vs 7 days). The association held after adjustment
for age, sex, vaccination status and study site. No differences were seen in serum
cytokines.

### Conclusions
The *IFNL4* ΔG genotype is associated with a weaker local IFN-λ response and slower viral
clearance in the upper airway. Genotype may help select patients for early IFN-λ therapy.

== P108 | ifnl
T: Hepatocyte IFNLR1 expression is upregulated by hypoxia and sensitises liver organoids to IFN-λ
A: Wen Zhao* 1; Elif Demir 2; Marco Bianchi 3
F: Tsinghua University, Beijing, China | Koç University, Istanbul, Türkiye | University of Milan,
  Italy
K: IFNLR1; hypoxia; HIF-1α; liver organoids; hepatitis B
G: bar | IFNLR1 mRNA in liver organoids | fold change vs normoxia | 21% O₂ 1.0, 5% O₂ 2.7, 1% O₂
  4.3, 1% O₂ + HIF-1α KO 1.2
### Background
Hepatocytes in humans express low levels of the IFN-λ receptor (IFNLR1), limiting the
efficacy of IFN-λ against hepatitis viruses. Liver zonation creates gradients of oxygen
that might regulate receptor expression.

### Methods
Human liver organoids from 5 donors were cultured at 21%, 5% or 1% oxygen. HIF-1α was
deleted by CRISPR. We measured IFNLR1 by RT-qPCR and flow cytometry, and the response to
IFN-λ3 during hepatitis B virus infection.

### Results
Hypoxia increased IFNLR1 mRNA 4.3-fold and surface protein 3.1-fold through a HIF-1α
binding site in the *IFNLR1* promoter. Hypoxic organoids induced 3-fold more ISGs after
IFN-λ3 and reduced HBV pregenomic RNA by 68% (vs 22% in normoxia).

### Conclusions
Oxygen tension regulates hepatocyte responsiveness to IFN-λ through HIF-1α. Pericentral
hepatocytes may therefore be the main targets of IFN-λ in the liver.

== P109 | ifnl
T: Neutrophils respond to IFN-λ in the inflamed colon and limit tissue damage in experimental
  colitis
A: Aoife Gallagher* 1; Pedro Albuquerque 2; Anja Kovač 3
F: Trinity College Dublin, Ireland | Oswaldo Cruz Foundation (Fiocruz), Rio de Janeiro, Brazil |
  University of Ljubljana, Slovenia
K: IFN-λ; neutrophils; colitis; reactive oxygen species; type III interferon
D: 10.5555/cyto2021.p109
G: line | Weight change during DSS colitis | % of starting weight | day | 0 2 4 6 8 | Wild type: 100
  99 96 89 84; Ifnlr1 KO in neutrophils: 100 98 93 83 76
### Background
Besides epithelial cells, human and mouse neutrophils express IFNLR1. The role of IFN-λ
signalling in neutrophils during intestinal inflammation is unknown.

### Methods
Mice lacking *Ifnlr1* in neutrophils (Mrp8-Cre) and controls (n = 12 per group, two
experiments) received 2.5% dextran sodium sulfate (DSS) for 6 days. We measured weight,
histology scores, and neutrophil reactive oxygen species (ROS) production ex vivo.

### Results
Neutrophil-specific knockouts lost more weight (24% vs 16% at day 8, p < 0.01) and had
higher histology scores (9.1 vs 6.2). IFN-λ reduced neutrophil ROS production by 40%
through STAT1-dependent inhibition of AKT phosphorylation, without affecting migration.

### Conclusions
IFN-λ acts on neutrophils to restrain ROS-mediated tissue damage in colitis. IFN-λ could
be a tissue-protective rather than pro-inflammatory cytokine at mucosal surfaces.

== P110 | ifnl
T: A bispecific IFN-λ fusion protein targeted to the airway epithelium via EpCAM
A: Daniel Weiss* 1; Keiko Nishimura 2; Aarav Sharma 3
F: University of Zurich, Switzerland | Kyoto University, Japan | Indian Institute of Science,
  Bengaluru, India
K: IFN-λ; protein engineering; EpCAM; targeted cytokines; respiratory viruses
S: submitted
G: bar | Respiratory syncytial virus titre, 72 h | log10 PFU/mL | Untreated 6.1, IFN-λ1 4.9,
  EpCAM-IFN-λ1 3.4, Control fusion 4.8
### Background
Inhaled IFN-λ is limited by its rapid clearance from the airway. Tethering IFN-λ to
epithelial cells could prolong its local action.

### Methods
We fused an IFN-λ1 variant with reduced receptor affinity to an anti-EpCAM single-domain
antibody. Activity was tested on primary airway cultures infected with respiratory
syncytial virus (RSV) and in cotton rats after a single intranasal dose.

### Results
The fusion bound EpCAM with a Kd of 2.1 nM and induced ISGs for 72 h after a 1 h pulse,
against 12 h for unmodified IFN-λ1. It reduced RSV titres 500-fold in cultures and 40-fold
in cotton rat lungs, with no ISG induction in blood cells.

### Conclusions
Targeting IFN-λ to the epithelium extends and concentrates its antiviral action. This format
may allow infrequent inhaled dosing.
"""
