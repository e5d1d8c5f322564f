"""Demo posters: IL-17 and IL-23, and the TNF superfamily."""

LISTING = r"""
== P211 | il17
T: IL-23 receptor signalling in innate lymphoid cells drives colitis in the absence of T cells
A: Margot Lefèvre* 1; Arjun Pillai 2; Rebecca Shaw 3
F: Université Paris Cité, France | Indian Institute of Science, Bengaluru, India | University of
  Oxford, United Kingdom
K: IL-23; ILC3; colitis; IL-22; IL-17A
G: bar | Colitis score, Rag1 KO mice, day 7 | histology score | Isotype 1.2, Anti-CD40 9.4,
  Anti-CD40 + anti-IL-23p19 3.1, Anti-CD40 in Il23r KO ILC3 2.6
### Background
IL-23 is a central cytokine in inflammatory bowel disease. Besides T cells, group 3 innate
lymphoid cells (ILC3) express the IL-23 receptor.

### Methods
T cell-deficient *Rag1* knockout mice received an agonist anti-CD40 antibody to induce
innate colitis, with or without an anti-IL-23p19 antibody. We also deleted *Il23r* in ILC3
(Rorc-Cre on *Rag1* knockout, n = 10 per group).

### Results
Blocking IL-23 reduced the colitis score by 67%, and ILC3-specific receptor deletion by 72%.
ILC3 produced IL-22, IL-17A and GM-CSF, and GM-CSF blockade reduced inflammatory monocyte
influx by 60%.

### Conclusions
ILC3 respond to IL-23 and are sufficient to drive colitis without T cells. This may explain
why IL-23 blockade works in patients whose T-cell responses vary.

== P212 | il17
T: Resident memory T cells producing IL-17A persist in resolved psoriatic skin lesions
A: Sam Speaker* 1; Karin Eriksson 2; Tae-yang Yoon 3
F: University of Pennsylvania, Philadelphia, USA | University of Copenhagen, Denmark | Yonsei
  University, Seoul, Republic of Korea
K: IL-17A; resident memory T cells; psoriasis; disease memory; IL-23
D: 10.5555/cyto2021.p212
L: Supplementary figures | https://example.org/cytokines2021/p212-supplement
G: bar | CD103+ CD8 TRM producing IL-17A | % of CD8 T cells | Healthy skin 0.4, Active lesion 6.8,
  Resolved lesion 4.1, Non-lesional skin 0.7
### Background
Psoriasis plaques often return at the same sites after treatment stops. Tissue-resident
memory T cells (TRM) that produce IL-17A may carry this "disease memory".

### Methods
Skin biopsies were taken from 20 volunteers with psoriasis at active, clinically resolved
(after 24 weeks of anti-IL-17A therapy) and non-lesional sites, and from 12 controls. We
used flow cytometry and single-cell TCR sequencing.

### Results
IL-17A-producing CD8 TRM were 10-fold more frequent in resolved lesions than in non-lesional
skin and shared 43% of their TCR clonotypes with the active lesion. They expressed IL-23R
and re-expanded within 48 h of IL-23 stimulation ex vivo.

### Conclusions
Clonal IL-17A-producing TRM persist in resolved psoriasis. Targeting IL-23, on which they
depend, may lower relapse rates more than IL-17A blockade alone.

== P213 | il17
T: IL-17F and IL-17A have distinct roles in neutrophil recruitment to the gingiva
A: Fatima Zahra Alaoui* 1; Bjørn Hagen 2; Carolina Duarte 3
F: Mohammed V University, Rabat, Morocco | University of Bergen, Norway | University of Lisbon,
  Portugal
K: IL-17A; IL-17F; periodontitis; neutrophils; CXCL1
G: bar | Alveolar bone loss, ligature model | µm | Wild type 310, Il17a KO 205, Il17f KO 280,
  Il17a/f KO 130
### Background
IL-17A and IL-17F share a receptor and often a source, but their separate roles in oral
immunity are not well understood.

### Methods
Mice lacking IL-17A, IL-17F or both underwent ligature-induced periodontitis for 8 days
(n = 9 per group). Gingival neutrophils, CXCL1 and bone loss were measured; the oral
microbiome was sequenced.

### Results
IL-17A loss reduced bone loss by 34% and gingival CXCL1 by 55%; IL-17F loss had little
effect alone but reduced bone loss further when combined (58%). Loss of IL-17F shifted the
microbiome towards *Porphyromonas* species.

### Conclusions
IL-17A mainly drives neutrophil recruitment and bone loss, while IL-17F shapes the oral
microbiome. Dual blockade may be most effective in periodontitis.

== P214 | il17
T: γδ T cell IL-17A promotes adipose tissue thermogenesis in cold-exposed mice
A: Hannah Whitaker* 1; Takeshi Mori 2; Laura Giménez 3
F: University of Cambridge, United Kingdom | Osaka University, Japan | University of Barcelona,
  Spain
K: IL-17A; γδ T cells; adipose tissue; thermogenesis; metabolism
G: line | Core body temperature at 4 °C | °C | hours | 0 2 4 6 8 | Wild type: 37.2 36.8 36.5 36.4
  36.3; Tcrd KO: 37.1 36.0 35.1 34.4 33.9
### Background
Immune cells in adipose tissue shape metabolism. γδ T cells are a major source of IL-17A
in fat, but their metabolic role is unclear.

### Methods
Wild-type, *Tcrd*-deficient and *Il17ra*-deficient (adipocyte-specific) mice were exposed to
4 °C (n = 8 per group). We measured core temperature, UCP1 expression and stromal cell
phenotypes in subcutaneous fat.

### Results
Mice lacking γδ T cells were cold-intolerant and had 60% lower UCP1 in beige fat. IL-17A
signalling in adipocytes induced IL-33 in stromal cells, which expanded regulatory T cells
and supported thermogenesis. Adipocyte IL-17RA deletion reproduced the cold intolerance.

### Conclusions
γδ T cell IL-17A supports thermogenesis through a stromal IL-33 circuit. IL-17A has roles
beyond host defence and inflammation.

== P215 | il17
T: Circulating IL-23 and IL-17A before and after ustekinumab in ankylosing spondylitis
A: Meera Krishnan* 1; Paolo Conti 2; Oksana Shevchenko 3
F: McMaster University, Hamilton, Canada | University of Padua, Italy | Bogomolets National Medical
  University, Kyiv, Ukraine
K: IL-23; IL-17A; ankylosing spondylitis; ustekinumab; entheses
G: bar | Serum IL-17A before and after treatment | pg/mL | Baseline 14.2, Week 12 13.1, Week 24 12.8
### Background
Blocking IL-17A works in ankylosing spondylitis, but blocking IL-23 does not. One
explanation is that IL-17A in the spine is produced independently of IL-23.

### Methods
We measured serum IL-23, IL-17A and IL-22 in 48 people with ankylosing spondylitis before
and after ustekinumab (weeks 12 and 24) in an open-label study, and in 20 controls, using
single-molecule immunoassays.

### Results
IL-23 was undetectable after treatment, but IL-17A fell by only 10% by week 24. IL-22 fell
by 45%. Disease activity did not change in most patients (BASDAI change -0.4).

### Conclusions
IL-17A production in ankylosing spondylitis appears largely independent of IL-23. Studies of
entheseal tissue are needed to find the cells that make IL-17A without IL-23.

== P216 | tnf
T: TNFR2 agonism expands regulatory T cells and reverses experimental autoimmune hepatitis
A: Pauline Girard* 1; Ricardo Silva 2; Naledi Khumalo 3
F: Université Paris Cité, France | University of São Paulo, Brazil | University of KwaZulu-Natal,
  Durban, South Africa
K: TNFR2; regulatory T cells; autoimmune hepatitis; TNF receptor agonist; tolerance
D: 10.5555/cyto2021.p216
G: bar | Serum ALT, concanavalin A hepatitis | U/L | Vehicle 1850, TNFR2 agonist 620, TNFR2 agonist
  + Treg depletion 1710
### Background
TNF signals through two receptors. TNFR1 drives inflammation and cell death, while TNFR2 is
found on regulatory T cells (Tregs) and supports their expansion.

### Methods
We treated mice with a selective TNFR2 agonist (a trimerised TNF mutein) before concanavalin
A-induced hepatitis (n = 10 per group), with or without Treg depletion. Tregs were analysed
by flow cytometry.

### Results
The agonist expanded liver Tregs 3-fold and reduced ALT by 66% and necrosis by 70%. The
protection was lost when Tregs were depleted. The agonist did not activate TNFR1 or cause
weight loss at a 10-fold higher dose.

### Conclusions
Selective TNFR2 agonism protects the liver by expanding Tregs. This approach may offer a
new treatment for autoimmune hepatitis.

== P217 | tnf
T: Paradoxical psoriasis during anti-TNF therapy is driven by plasmacytoid dendritic cell IFN-α
A: Ewa Kaczmarek* 1; Sebastian Vogel 2; Aylin Şahin 3
F: Jagiellonian University, Kraków, Poland | Charité - Universitätsmedizin Berlin, Germany | Ankara
  University, Türkiye
K: anti-TNF; paradoxical psoriasis; plasmacytoid dendritic cells; IFN-α; adverse events
G: bar | Skin pDC with MxA expression | cells per mm² | Classic psoriasis 12, Paradoxical psoriasis
  58, Healthy skin 2
### Background
Some patients treated with TNF inhibitors develop psoriasis-like skin lesions. TNF normally
restrains IFN-α production by plasmacytoid dendritic cells (pDC).

### Methods
We compared biopsies from 24 patients with paradoxical psoriasis during anti-TNF therapy,
30 with classic psoriasis and 15 controls (archived anonymised samples), using
immunohistochemistry and RNA-seq.

### Results
Paradoxical lesions had 5-fold more dermal pDC and a strong type I interferon signature
(MxA+ cells 58 vs 12 per mm²) with fewer IL-17A+ cells than classic psoriasis. TNF
blockade increased IFN-α release by pDC ex vivo 2.5-fold.

### Conclusions
Paradoxical psoriasis is an interferon-driven disease distinct from classic psoriasis.
Treatments targeting type I IFN, rather than IL-17, may be better for these patients.

== P218 | tnf
T: RIPK1 kinase activity mediates TNF-induced intestinal epithelial death in a model of necrotising
  enterocolitis
A: Emma Lindqvist* 1; Karim Mansour 2; Haruto Sasaki 3
F: Karolinska Institutet, Stockholm, Sweden | American University of Beirut, Lebanon | Keio
  University, Tokyo, Japan
K: RIPK1; TNF; necroptosis; necrotising enterocolitis; intestinal epithelium
G: bar | Intestinal injury score, NEC model | score | Dam-fed 0.4, NEC model 3.2, NEC + RIPK1
  inhibitor 1.3, NEC in Ripk1 kinase-dead 1.1
### Background
Necrotising enterocolitis (NEC) is a serious disease of premature infants. TNF is elevated
in NEC, and it can kill epithelial cells by apoptosis or necroptosis.

### Methods
Newborn mice underwent an established NEC protocol (formula feeding, hypoxia and LPS).
Wild-type pups received a RIPK1 kinase inhibitor; kinase-dead *Ripk1* knock-in pups were
compared (n = 15-20 per group).

### Results
RIPK1 inhibition reduced injury scores by 59% and epithelial death by 64%, and kinase-dead
pups were similarly protected. Both apoptosis and necroptosis markers (cleaved caspase-8,
pMLKL) were reduced. Organoids from preterm infant tissue behaved in the same way.

### Conclusions
RIPK1 kinase activity drives TNF-induced epithelial death in NEC. RIPK1 inhibitors could be
explored for this disease.

== P219 | tnf
T: Soluble and transmembrane TNF differ in their effects on bone repair after fracture
A: Liam O'Connor* 1; Jana Horáková 2; Kenji Fujimoto 3
F: University College Dublin, Ireland | Masaryk University, Brno, Czech Republic | Osaka University,
  Japan
K: TNF; transmembrane TNF; fracture healing; osteoblasts; XPro1595
G: line | Callus bone volume after tibial fracture | mm³ | day | 7 14 21 28 | Vehicle: 0.8 2.9 4.1
  3.6; Etanercept: 0.6 1.9 3.0 3.4; XPro1595: 0.9 3.3 4.6 4.0
### Background
TNF is needed early in fracture healing, but anti-TNF drugs are widely used. Soluble and
transmembrane TNF may have different roles.

### Methods
Mice with tibial fractures received etanercept (blocks both forms), XPro1595 (blocks only
soluble TNF) or vehicle (n = 10 per group). Callus volume was measured by micro-CT, and
strength by torsion testing on day 28.

### Results
Etanercept reduced callus bone volume by 27% at day 21 and strength by 30%. XPro1595 did not
impair healing and slightly increased bone volume (+12%). Transmembrane TNF signalled through
TNFR2 on osteoblast progenitors.

### Conclusions
Transmembrane TNF supports fracture repair, while soluble TNF is dispensable. Selective
inhibitors could avoid delayed bone healing in patients.

== P220 | tnf
T: LIGHT (TNFSF14) and lymphotoxin-β receptor signals sustain fibroblastic reticular networks in
  ageing lymph nodes
A: Amelia Turner* 1; Mikko Lehtonen 2; Rania Aziz 3
F: University of Birmingham, United Kingdom | University of Helsinki, Finland | King Abdullah
  University of Science and Technology, Thuwal, Saudi Arabia
K: LIGHT; lymphotoxin-β receptor; ageing; fibroblastic reticular cells; vaccine responses
G: bar | Antigen-specific germinal centre B cells after vaccination | % of B cells | Young 3.2, Aged
  1.1, Aged + LTβR agonist 2.4
### Background
Lymph nodes shrink and respond poorly to vaccines with age. Fibroblastic reticular cells
(FRC) that organise the node depend on lymphotoxin-β receptor (LTβR) signals.

### Methods
Lymph nodes from young (3 months) and aged (22 months) mice were analysed by single-cell
RNA-seq and imaging. Aged mice were treated with an agonist anti-LTβR antibody before
immunisation (n = 8 per group).

### Results
Aged FRC networks had 45% fewer cells and lower CCL19 and IL-7. LIGHT was reduced 4-fold in
aged T cells. The LTβR agonist restored FRC density and doubled germinal centre responses to
immunisation.

### Conclusions
Loss of LIGHT-LTβR signalling contributes to lymph node ageing. Stimulating this pathway
may improve vaccine responses in older people.
"""
