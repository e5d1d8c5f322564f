"""Demo posters: chemokines and JAK-STAT signalling."""

LISTING = r"""
== P111 | chemo
T: Atypical chemokine receptor ACKR2 shapes CCL2 gradients in lymph node conduits
A: Eilidh Fraser* 1; Nikolai Sørensen 2; Amara Okafor 1
F: University of Edinburgh, United Kingdom | University of Oslo, Norway
K: ACKR2; CCL2; chemokine gradients; lymph node; monocyte migration
D: 10.5555/cyto2021.p111
G: line | CCL2 along a conduit | CCL2 (ng/mL) | distance from sinus (µm) | 0 50 100 150 200 | Wild
  type: 12 8.1 4.3 2.0 0.8; Ackr2 KO: 13 12 11 10 9.4
### Background
Atypical chemokine receptors scavenge chemokines without signalling. ACKR2 binds most
inflammatory CC chemokines, but how it shapes gradients inside tissues is unclear.

### Methods
We imaged fluorescent CCL2 in lymph node slices from wild-type and *Ackr2*-deficient mice
after footpad inflammation and tracked adoptively transferred Ly6C-high monocytes by
two-photon microscopy (n = 6 mice per group).

### Results
In wild-type nodes CCL2 fell 15-fold over 200 µm from the subcapsular sinus; without ACKR2
the gradient almost disappeared (1.4-fold). Monocytes in *Ackr2* knockouts moved with lower
directionality (0.31 vs 0.58) and accumulated in the sinus.

### Conclusions
ACKR2-mediated scavenging creates steep CCL2 gradients that guide monocytes into the lymph
node. Atypical receptors shape, rather than only terminate, chemokine signals.

== P112 | chemo
T: CXCL10 truncation by DPP4 in the serum of patients with active tuberculosis
A: Thandiwe Nkosi* 1; Pieter Janssens 2; Lerato Mokoena 1
F: University of Cape Town, South Africa | KU Leuven, Belgium
K: CXCL10; DPP4; CD26; tuberculosis; chemokine processing
G: bar | Share of CXCL10 in truncated form | % truncated | Healthy 18, Latent TB 27, Active TB 64,
  After treatment 31
### Background
The chemokine CXCL10 attracts CXCR3+ T cells. Cleavage by dipeptidyl peptidase 4 (DPP4)
removes two N-terminal amino acids and turns CXCL10 into a receptor antagonist.

### Methods
Serum from 96 adults with active pulmonary tuberculosis, 60 with latent infection and 48
controls was analysed with an assay that separates intact from truncated CXCL10. Twenty-two
patients were re-sampled after six months of treatment.

### Results
Total CXCL10 was 4-fold higher in active tuberculosis, but 64% of it was truncated, compared
with 18% in controls. DPP4 activity correlated with the truncated fraction (r = 0.61).
After treatment, truncation fell to 31%.

### Conclusions
Most circulating CXCL10 in active tuberculosis is the antagonist form. Measuring intact
CXCL10 may improve its use as a biomarker, and DPP4 inhibition may restore T-cell
recruitment.

== P113 | chemo
T: CCR7 ligands guide tumour-infiltrating dendritic cells out of melanoma metastases
A: Lena Brandt* 1; Giulia Romano 2; Oscar Lindahl 3
F: Medical University of Vienna, Austria | University of Milan, Italy | Uppsala University, Sweden
K: CCR7; CCL21; dendritic cells; melanoma; tumour immunity
G: bar | Migratory cDC1 in draining lymph node | cells per node (x100) | Control 42, Anti-CCL21 15,
  CCR7 KO 6, CCL19 KO 37
### Background
Conventional type 1 dendritic cells (cDC1) carry tumour antigens to lymph nodes to prime
CD8 T cells. Which CCR7 ligand guides them out of tumours is debated.

### Methods
B16-F10 melanoma cells expressing ovalbumin were grown in mice lacking CCR7, CCL19 or treated
with CCL21-blocking antibodies. We counted migratory cDC1 and antigen-specific CD8 T cells in
draining lymph nodes on day 10 (n = 8 per group).

### Results
Blocking CCL21 reduced cDC1 arrival by 64%, while CCL19 deletion had no significant effect.
Antigen-specific CD8 T cells fell from 2.1% to 0.6% of CD8 cells. Tumour lymphatic vessels
expressed CCL21 in 80% of metastases from a biobank of 30 patient samples.

### Conclusions
CCL21, not CCL19, is the main signal for dendritic cell exit from melanoma. Preserving
lymphatic CCL21 may help immunotherapy.

== P114 | chemo
T: Glycosaminoglycan binding of CXCL12 is needed for neutrophil retention in bone marrow
A: Hiroko Fujita* 1; Marcus Oliveira 2; Ruth Abebe 3
F: Osaka University, Japan | University of São Paulo, Brazil | Addis Ababa University, Ethiopia
K: CXCL12; CXCR4; glycosaminoglycans; neutrophils; bone marrow
G: bar | Blood neutrophils | x10³ per µL | Wild type 1.2, CXCL12 GAG mutant 3.4, AMD3100 4.1
### Background
CXCL12 signals through CXCR4 to retain neutrophils in bone marrow. It binds heparan sulfate
through basic residues, but the role of this binding in vivo is unclear.

### Methods
We used knock-in mice expressing CXCL12 with three lysines replaced (K24S/K27S/R41S),
which signals normally but binds heparan sulfate 20-fold less. Neutrophils were counted in
blood and marrow, and mobilisation was induced with G-CSF.

### Results
Knock-in mice had 2.8-fold more blood neutrophils at rest, similar to a low dose of the
CXCR4 antagonist AMD3100. Marrow CXCL12 protein was reduced by 45%, although mRNA was
unchanged. G-CSF mobilised neutrophils faster (peak at 6 h instead of 12 h).

### Conclusions
Binding to glycosaminoglycans keeps CXCL12 in the marrow and is needed for neutrophil
retention. Chemokine-GAG interactions are a possible target for mobilisation.

== P115 | chemo
T: CCL20 from keratinocytes recruits CCR6+ γδ T cells during imiquimod-induced skin inflammation
A: Mateus Pereira* 1; Sun-young Choi 2; Emily Clarke 3
F: University of Lisbon, Portugal | Seoul National University, Republic of Korea | University of
  Manchester, United Kingdom
K: CCL20; CCR6; γδ T cells; keratinocytes; psoriasis model
D: 10.5555/cyto2021.p115
G: bar | Dermal IL-17A+ γδ T cells, day 5 | cells per mm² | Control 210, K14-Ccl20 KO 64, Ccr6 KO 41
### Background
CCR6+ γδ T cells are the main early source of IL-17A in murine skin inflammation. The
cellular source of their ligand, CCL20, is not settled.

### Methods
We deleted *Ccl20* in keratinocytes (K14-Cre) and applied imiquimod cream to the ear skin
for 5 days. Cells were counted by imaging and flow cytometry; ear thickness was measured
daily (n = 10 per group).

### Results
Keratinocyte *Ccl20* deletion reduced dermal IL-17A+ γδ T cells by 70% and ear swelling by
52%. CCL20 in skin fell by 85%, showing keratinocytes to be the main source. IL-17A in turn
induced CCL20 in keratinocytes, forming a feed-forward loop.

### Conclusions
Keratinocytes recruit IL-17-producing γδ T cells through CCL20 in a self-amplifying loop.
Breaking this loop may help to treat psoriasis.

== P116 | jak
T: STAT1 and STAT3 compete for IL-6 receptor docking sites in human CD4 T cells
A: Yui Takahashi* 1; Dmitri Volkov 2; Clara Nilsson 3
F: University of Tokyo, Japan | Weizmann Institute of Science, Rehovot, Israel | Karolinska
  Institutet, Stockholm, Sweden
K: STAT1; STAT3; IL-6; gp130; CD4 T cells
G: line | STAT1 phosphorylation after IL-6 | pSTAT1 (MFI, x1000) | minutes | 0 15 30 60 120 |
  Control: 0.4 3.8 3.1 1.9 0.9; STAT3 knock-down: 0.4 6.2 6.9 5.8 4.1
### Background
IL-6 activates STAT3 and, to a lesser degree, STAT1. The balance between them changes the
genes IL-6 induces, but how this balance is set is not fully known.

### Methods
Naive and memory CD4 T cells from 12 donors were stimulated with IL-6 (10 ng/mL) after
knock-down of STAT3 or STAT1 with siRNA. Phospho-flow, ChIP-seq for STAT1 and RNA-seq were
performed.

### Results
Knocking down STAT3 increased and prolonged STAT1 phosphorylation (peak MFI 6,900 vs 3,800)
and switched IL-6 to an interferon-like programme with 210 induced ISGs. Memory cells had
higher STAT3 levels and a smaller STAT1 response than naive cells.

### Conclusions
STAT3 limits STAT1 activation by IL-6 through competition for gp130 docking sites. Reduced
STAT3, as in hyper-IgE syndrome, may shift IL-6 responses towards interferon-like signalling.

== P117 | jak
T: A TYK2 pseudokinase-domain variant protective against autoimmunity reduces IL-23 but not IFN-α
  signalling
A: Marta Jankowska* 1; Rhodri Evans 2; Lina Haddad 3
F: Jagiellonian University, Kraków, Poland | Swansea University, United Kingdom | Cairo University,
  Egypt
K: TYK2; P1104A; IL-23; IFN-α; genetic variants
G: bar | Signalling in P1104A homozygous cells | % of wild-type response | IL-23 pSTAT3 18, IL-12
  pSTAT4 35, IFN-α pSTAT1 84, IL-10 pSTAT3 92
### Background
The TYK2 P1104A variant protects against several autoimmune diseases. TYK2 acts downstream of
type I IFN, IL-12, IL-23 and IL-10 receptors, so how the variant protects is not clear.

### Methods
We recruited 14 P1104A homozygous and 28 matched wild-type volunteers from a biobank and
measured cytokine-induced STAT phosphorylation in whole blood and gene expression in
isolated cells.

### Results
IL-23 signalling was reduced to 18% of wild-type levels and IL-12 to 35%, while IFN-α and
IL-10 responses were nearly normal. Th17 cell differentiation in vitro fell by 72%. Homozygotes
had normal antiviral responses to influenza vaccine.

### Conclusions
The P1104A variant selectively impairs IL-23 signalling, which may explain its protective
effect. Drugs mimicking it could treat autoimmunity while preserving antiviral immunity.

== P118 | jak
T: SOCS1 loss in regulatory T cells causes IFN-γ-driven instability in a model of type 1 diabetes
A: Akira Kobayashi* 1; Beatriz Ramos 2; Thomas Ellis 3
F: Kyoto University, Japan | Centro Nacional de Biotecnología (CNB-CSIC), Madrid, Spain | University
  of Birmingham, United Kingdom
K: SOCS1; regulatory T cells; IFN-γ; STAT1; type 1 diabetes
D: 10.5555/cyto2021.p118
G: line | Diabetes-free NOD mice | % diabetes-free | week | 10 14 18 22 26 | Control: 100 92 70 52
  40; Treg Socs1 KO: 100 71 33 14 5
### Background
Suppressor of cytokine signalling 1 (SOCS1) limits signalling through JAK1 and JAK2. Its loss
in regulatory T cells (Treg) is reported to destabilise Foxp3 expression.

### Methods
We crossed *Foxp3*-Cre mice with *Socs1* floxed mice on the non-obese diabetic (NOD)
background (n = 20 per group) and followed diabetes incidence. Tregs were analysed by flow
cytometry and fate mapping.

### Results
Treg-specific SOCS1 loss accelerated diabetes (median onset 15 vs 24 weeks). 38% of
fate-mapped Tregs lost Foxp3 and produced IFN-γ in the pancreas. Blocking IFN-γ delayed
diabetes, and Tregs lacking both SOCS1 and STAT1 were stable.

### Conclusions
SOCS1 protects Tregs from IFN-γ-STAT1 signals that erode Foxp3. Restoring SOCS1 function
could stabilise Treg therapy in type 1 diabetes.

== P119 | jak
T: JAK2 V617F clonal haematopoiesis amplifies IL-1β-driven atherosclerosis in mice
A: Nathaniel Brooks* 1; Ayesha Siddiqui 2; Henrik Larsen 3
F: Washington University in St. Louis, USA | Aga Khan University, Karachi, Pakistan | Aarhus
  University, Denmark
K: JAK2 V617F; clonal haematopoiesis; atherosclerosis; IL-1β; macrophages
G: bar | Aortic root lesion area | x10³ µm² | Control 210, JAK2 V617F 380, V617F + anti-IL-1β 245
### Background
Clonal haematopoiesis with the JAK2 V617F mutation raises the risk of cardiovascular
disease. Inflammation in plaque macrophages may be the link.

### Methods
*Ldlr*-deficient mice were transplanted with 20% JAK2 V617F bone marrow and fed a Western
diet for 12 weeks, with or without an anti-IL-1β antibody (n = 14-16 per group).
Plaques were analysed by histology and macrophages by single-cell RNA-seq.

### Results
Mutant marrow increased plaque size by 81% and necrotic cores by 2.1-fold. Mutant plaque
macrophages showed AIM2 inflammasome activation and released 3-fold more IL-1β. Anti-IL-1β
reduced plaque size to near control levels.

### Conclusions
JAK2 V617F macrophages drive atherosclerosis through IL-1β. Blocking IL-1β might prevent
cardiovascular events in carriers of this clonal mutation.

== P120 | jak
T: Structure-guided design of a STAT3 SH2-domain binder that blocks dimerisation
A: Xu Ming* 1; Isabelle Laurent 2; Hamid Karimi 3
F: National University of Singapore | Université Paris Cité, France | University of Toronto, Canada
K: STAT3; SH2 domain; drug design; dimerisation; cancer
G: bar | STAT3 reporter activity, 24 h | % of control | Vehicle 100, Binder 1 µM 62, Binder 5 µM 24,
  Binder 5 µM in STAT3 R609A 95
### Background
STAT3 is activated in many cancers, but its SH2 domain has proved hard to drug with small
molecules. Designed mini-proteins can bind shallow protein surfaces.

### Methods
We used computational design to build 64-residue binders against the pTyr705 pocket of the
STAT3 SH2 domain, screened 12,000 designs by yeast display, and tested the best binder in
cancer cell lines after cell-penetrating peptide fusion.

### Results
The best binder bound STAT3 with a Kd of 8 nM and did not bind STAT1 or STAT5 (Kd above
5 µM). It blocked STAT3 dimerisation, reduced reporter activity by 76% at 5 µM and slowed the
growth of STAT3-dependent lymphoma cells 3-fold. A crystal structure confirmed the designed
binding mode.

### Conclusions
De novo designed mini-proteins can selectively block STAT3 dimerisation. This route may
give a new class of STAT inhibitors.
"""
