"""The demo meeting's program as data: stages, tracks, invited speakers and the listing.

Cytokines 2021 ran from Sunday 17 to Wednesday 20 October 2021, fully virtual, from a
studio in Cardiff City Hall. Times below are the meeting's (Europe/London, BST). The
committee members (see :mod:`conference.program.demo.meeting`) chair sessions; the invited
speakers are fictitious, and every talk title is a generic scientific topic, not a claim
about what anyone presented. The layout is conflict-free by construction: three parallel
stages never run two sessions of one track at once, each track's speakers come from that
track's own pool, and no chair appears in two parallel sessions (a test checks all of it).
"""

from __future__ import annotations

# (slug, name, room)
STAGES = [
    ("plenary-hall", "Plenary Hall", "Studio, Cardiff City Hall"),
    ("stage-2", "Stage 2", ""),
    ("stage-3", "Stage 3", ""),
    ("poster-hall", "Poster Hall", "iPoster gallery and networking lounge"),
]
# (slug, name, colour)
TRACKS = [
    ("interferons", "Interferons", "#1f6fb2"),
    ("chemokines", "Chemokines", "#2a9d8f"),
    ("cancer", "Cytokines in Cancer", "#c0392b"),
    ("autoimmunity", "Autoimmunity & Inflammation", "#8e44ad"),
    ("infection", "Infection & Immunity", "#d35400"),
    ("translational", "Translational & Clinical", "#4d7c0f"),
]

# The speaker account's person: a talk in the program belongs to speaker@demo.test.
SPEAKER_EMAIL = "speaker@demo.test"
SAM = "Sam Speaker"
SAM_PERSON = (SAM, "University of Pennsylvania", "US")

# Each track's invited speakers ("name|affiliation|country"); symposium talks without a
# named speaker take the next one from their track's pool, in program order.
POOLS: dict[str, tuple[str, ...]] = {
    "interferons": (
        "Hannah Lindqvist|Karolinska Institutet|SE",
        "Kenji Watanabe|Osaka University|JP",
        "Claire Dubois|Institut Pasteur|FR",
        "Daniel Novak|Charles University|CZ",
        "Rachel Goldberg|Weizmann Institute of Science|IL",
        "Pieter de Vries|Leiden University Medical Center|NL",
        "Mei Lin Tan|National University of Singapore|SG",
        "Laura Jensen|University of Copenhagen|DK",
        "Rhys Morgan|Swansea University|GB",
        "Julia Santos|University of São Paulo|BR",
    ),
    "chemokines": (
        "Ingrid Solberg|University of Oslo|NO",
        "Benjamin Hughes|Imperial College London|GB",
        "Isabel Moreno|University of Barcelona|ES",
        "Thomas Keller|University of Zurich|CH",
        "Caitlin Reid|University of Edinburgh|GB",
        "Hyun-woo Kim|KAIST|KR",
        "Lucas Moreau|Université Paris Cité|FR",
        "Grace Mensah|University of Ghana|GH",
    ),
    "cancer": (
        "Olivia Chen|University of Melbourne|AU",
        "Mateo Rossi|University of Milan|IT",
        "Nathan Brooks|University of California, San Francisco|US",
        "Stefan Wagner|Medical University of Vienna|AT",
        "Megan Price|Cardiff University|GB",
        "Jun Li|Tsinghua University|CN",
        "Alice Bennett|University of Manchester|GB",
        "Emily Carter|Stanford University|US",
    ),
    "autoimmunity": (
        "Niamh Byrne|University College Dublin|IE",
        "Anna Kowalska|Jagiellonian University|PL",
        "Owen Griffiths|Cardiff University|GB",
        "Yuki Tanaka|University of Tokyo|JP",
        "Chloé Lambert|Université de Montréal|CA",
        "Zoe Evans|University of Birmingham|GB",
        "Min-ji Park|Seoul National University|KR",
        "Marcus Thompson|Emory University|US",
    ),
    "infection": (
        "Aisha Bello|University of Cape Town|ZA",
        "Gabriel Costa|Oswaldo Cruz Foundation (Fiocruz)|BR",
        "Nora Schmidt|Helmholtz Centre for Infection Research|DE",
        "Samuel Adeyemi|University of Ibadan|NG",
        "Ravi Kumar|All India Institute of Medical Sciences|IN",
        "Sarah O'Brien|Trinity College Dublin|IE",
        "Michael Sullivan|Johns Hopkins University|US",
        "Elena Virtanen|University of Helsinki|FI",
    ),
    "translational": (
        "James Whitfield|University of Cambridge|GB",
        "Maria Gonzalez|Monash University|AU",
        "Ahmed Hassan|Cairo University|EG",
        "Katarzyna Nowak|Medical University of Warsaw|PL",
        "David Levi|Hebrew University of Jerusalem|IL",
        "Arjun Mehta|McMaster University|CA",
    ),
}
# Invited speakers named directly in the program below.
INVITED = (
    "Margaret Ellison|University of Oxford|GB",
    "Hiroshi Sato|Kyoto University|JP",
    "Priya Raman|Indian Institute of Science|IN",
    "Ethan Walker|Washington University in St. Louis|US",
    "Laura Fernández|Centro Nacional de Biotecnología (CNB-CSIC)|ES",
    "Fatima Al-Sayed|King Abdullah University of Science and Technology|SA",
    "Tomás Herrera|Universidad de Chile|CL",
    "Sophie Martin|University of Glasgow|GB",
    "Carlos Mendes|University of Lisbon|PT",
    "Hye-jin Cho|Yonsei University|KR",
    "Karen Holt|Alder Assays Ltd|GB",
    "Victor Lang|Alder Assays Ltd|GB",
    "Rebecca Stone|Lumen Biotherapeutics Inc.|US",
    "Paul Duarte|Lumen Biotherapeutics Inc.|US",
    "Elif Yilmaz|Koç University|TR",
    "Jonas Berg|Uppsala University|SE",
    "Naomi Fraser|University of Dundee|GB",
    "Kwame Asante|Kwame Nkrumah University of Science and Technology|GH",
)

# Committee members (as seeded by conference.program.demo.meeting), by their initials.
COMMITTEE_CODES = {
    "SJ": "Simon A. Jones",
    "LON": "Luke A. J. O'Neill",
    "IM": "Iain B. McInnes",
    "GJ": "Gareth W. Jones",
    "IH": "Ian R. Humphreys",
    "PT": "Philip R. Taylor",
    "AG": "Awen M. Gallimore",
    "CH": "Christopher A. Hunter",
    "SG": "Sarah L. Gaffen",
    "EF": "Eleanor N. Fish",
    "MG": "Michael Gale Jr.",
    "AO": "Anne O'Garra",
    "WL": "Warren J. Leonard",
    "LI": "Lionel B. Ivashkiv",
    "GS": "Ganes C. Sen",
}
STAGE_CODES = {"PH": "plenary-hall", "S2": "stage-2", "S3": "stage-3", "PO": "poster-hall"}
TRACK_CODES = {
    "IFN": "interferons",
    "CHE": "chemokines",
    "CAN": "cancer",
    "AUT": "autoimmunity",
    "INF": "infection",
    "TRA": "translational",
}

# The listing, day by day ("= 17" starts Sunday 17 October). A session line reads
#   HH:MM-HH:MM type stage track [flags] | title [| chairs]
# then its lines, indented: "> description", or a talk "[minutes] title [| speakers]".
# A talk with no speakers given takes the next speaker of its track's pool (20 minutes
# unless said); "| -" is a talk without a speaker. People are committee initials or names.
LISTING = """
= 17
13:00-13:30 plenary PH - nocme | Opening ceremony and welcome | SJ
  > The Conference Chair opens the 9th Annual Meeting of ICIS.
  15 Welcome to Cardiff and to Cytokines 2021 | SJ
13:30-14:30 plenary PH IFN | Opening keynote: Interferons in antiviral defence and inflammation | EF
  50 Interferons in antiviral defence and inflammation | Margaret Ellison
14:30-14:45 break - - | Break
14:45-16:15 symposium PH IFN | Interferons I: Sensing and signalling | GS, MG
  Cytosolic nucleic acid sensing and the induction of type I interferons
  Regulation of IRF3 and IRF7 activation
  JAK-STAT signalling downstream of the type I interferon receptor
  Negative feedback control of interferon signalling
14:45-16:15 symposium S2 CHE | Chemokines I: Gradients and guidance | PT
  Atypical chemokine receptors shape chemokine gradients
  Glycosaminoglycan binding and chemokine presentation
  Imaging leukocyte migration in living tissue
  Chemokine control of lymph node entry and positioning
14:45-16:15 symposium S3 CAN | Cytokines in Cancer I: The tumour microenvironment | AG
  Cytokine networks in the tumour microenvironment
  Myeloid cells as sources of tumour-promoting cytokines
  TGF-beta and immune exclusion in solid tumours
  Interferon signatures and response to checkpoint blockade
16:15-16:30 break - - | Break
16:30-17:30 industry_symposium S2 - | Industry symposium: Multiplex cytokine profiling | Karen Holt
  25 Choosing a multiplex platform for cytokine measurement | Karen Holt
  25 Quality control for high-throughput cytokine assays | Victor Lang
16:30-17:30 workshop S3 - | Early-career workshop: Building an independent research career | GJ
  > Advice and open discussion for students, postdocs and new investigators.
  Choosing research questions that last | LON
  Writing fellowship and grant applications | IH
  Panel: questions from early-career researchers | LON, IH, GJ
17:30-18:30 poster_session PO - | Poster session 1: Interferons and chemokines | CH, WL
18:30-19:30 networking PO - | Welcome reception
  > Meet colleagues at virtual tables in the networking lounge.

= 18
09:00-10:00 plenary PH - | Keynote: The cytokine network in human immune variation | IM
  50 The cytokine network in human immune variation | Hiroshi Sato
10:00-10:15 break - - | Break
10:15-11:45 symposium PH IFN | Interferons II: Interferon-stimulated genes | EF, GS
  Mapping the antiviral activity of interferon-stimulated genes
  Restriction factors at the virus-host interface
  Viral antagonism of interferon-induced effectors
  Interferon-induced proteins in the regulation of translation
10:15-11:45 symposium S2 INF | Infection & Immunity I: Cytokines in viral infection | MG
  Innate cytokine responses in acute respiratory virus infection
  Cytokine control of T cell exhaustion in chronic viral infection
  Virus-encoded cytokine and chemokine mimics
  Tissue-resident memory T cells and local cytokine cues
10:15-11:45 symposium S3 AUT | Autoimmunity & Inflammation I: The IL-17 and IL-23 axis | SG
  IL-23-driven pathogenic T cells in tissue inflammation
  IL-17 receptor signalling in epithelial cells
  Type 17 immunity at the skin barrier
  Targeting the IL-23/IL-17 pathway in psoriatic disease
11:45-12:30 break - - | Lunch break
12:30-13:30 poster_session PO - | Poster session 2: Cancer, autoimmunity and inflammation | AO, LI
12:30-13:30 workshop S3 - | Workshop: Single-cell approaches to cytokine signalling | PT
  > Methods, pitfalls and open datasets, with time for questions.
  25 Single-cell transcriptomics of cytokine responses | Elif Yilmaz
  25 Spatial profiling of cytokine-producing cells | Jonas Berg
13:30-15:00 symposium PH CAN | Cytokines in Cancer II: Engineering cytokines for immunotherapy | AG
  Engineered IL-2 variants with biased receptor binding
  Tumour-targeted delivery of immunostimulatory cytokines
  IL-12 and IL-15 in cancer immunotherapy
  Managing cytokine release syndrome after CAR T cell therapy
13:30-15:00 symposium S2 CHE | Chemokines II: Receptor signalling and biased agonism | PT
  Structural basis of chemokine receptor activation
  Biased agonism at chemokine receptors
  Receptor dimerisation and signalling crosstalk
  Small-molecule antagonists of chemokine receptors
13:30-15:00 symposium S3 TRA | Translational & Clinical I: Targeting cytokines in the clinic | IM
  Lessons from two decades of anti-cytokine biologics
  Cytokine profiling to stratify patients with inflammatory arthritis
  Biosimilars and access to cytokine-targeted therapies
  Designing trials of cytokine blockade in rare diseases
15:00-15:15 break - - | Break
15:15-16:45 symposium PH AUT | Autoimmunity & Inflammation II: The IL-6 family | SJ, GJ
  IL-6 trans-signalling in chronic inflammation
  gp130 cytokines in tissue repair and fibrosis
  IL-6 family cytokines and ectopic lymphoid structures
  Selective inhibition of IL-6 signalling modes
15:15-16:45 symposium S2 INF | Infection & Immunity II: Bacterial and parasitic infection | CH
  IL-27 and the regulation of T cell responses during parasitic infection | Sam Speaker
  Interferon-gamma and macrophage control of intracellular bacteria
  Type 2 cytokines in helminth infection and tissue repair
  Cytokine regulation of the gut microbiota
15:15-16:45 symposium S3 IFN | Interferons III: Interferonopathies and autoimmunity | LI
  Type I interferonopathies: from genes to therapy
  Plasmacytoid dendritic cells and interferon in lupus
  Measuring the interferon signature in the clinic
  Anti-interferon autoantibodies and susceptibility to infection
16:45-17:00 break - - | Break
17:00-18:00 plenary PH CHE | Plenary lecture: Chemokines and the choreography of immunity | LON
  50 Chemokines and the choreography of immunity | Priya Raman
18:00-19:00 networking PO - | Meet the speakers
  > Early-career attendees meet the day's speakers in small groups.

= 19
09:00-10:00 plenary PH INF | Keynote: Cytokines in severe viral disease | AO
  50 Cytokines in severe viral disease | Ethan Walker
10:00-10:15 break - - | Break
10:15-11:45 symposium PH INF | Infection & Immunity III: COVID-19 and the cytokine response | IH, MG
  Early interferon responses and COVID-19 severity
  Cytokine profiles in severe COVID-19
  Immunomodulatory therapy for patients hospitalised with COVID-19
  Persistent inflammation after SARS-CoV-2 infection
10:15-11:45 symposium S2 CAN | Cytokines in Cancer III: Inflammation and tumorigenesis | AG, GJ
  Chronic inflammation as a driver of colorectal cancer
  STAT3 signalling in tumour cells and stroma
  Senescence-associated cytokines in cancer
  Microbiota, cytokines and cancer risk
10:15-11:45 symposium S3 CHE | Chemokines III: Chemokines in tissue homeostasis and repair | PT
  Chemokine-guided macrophage recruitment in wound healing
  CXCL12 and stem cell niches
  Chemokines in fibrosis and its resolution
  Neutrophil swarming and its resolution
11:45-12:30 break - - | Lunch break
12:30-13:30 poster_session PO INF | Poster session 3: Infection and immunity | SG, IM
12:30-13:30 industry_symposium S2 - | Industry symposium: Biologic medicines | Rebecca Stone
  25 Developing cytokine-targeted biologic medicines | Rebecca Stone
  25 Manufacturing considerations for therapeutic proteins | Paul Duarte
12:30-13:30 workshop S3 - | Workshop: Reproducible cytokine measurement | EF
  > Standards, reference materials and reporting for cytokine assays.
  25 Reference standards for cytokine and interferon assays | Naomi Fraser
  25 Reporting guidelines for cytokine measurements | Kwame Asante
13:30-15:00 symposium PH TRA | Translational & Clinical II: JAK inhibitors and beyond | IM
  JAK inhibition in autoimmune and inflammatory disease
  Selectivity of next-generation JAK inhibitors
  TYK2 as a therapeutic target
  Safety considerations for long-term JAK inhibition
13:30-15:00 symposium S2 AUT | Autoimmunity & Inflammation III: Inflammasomes | LON
  Inflammasome activation and IL-1 family cytokines
  Metabolic control of macrophage inflammatory responses
  IL-18 and IL-37 in the balance of inflammation
  Autoinflammatory diseases driven by innate cytokines
13:30-15:00 symposium S3 IFN | Interferons IV: Type III interferons at barrier surfaces | EF
  Type III interferons and epithelial antiviral defence
  IFN-lambda receptor distribution and tissue specificity
  Type III interferons at the maternal-fetal interface
  Therapeutic potential of IFN-lambda
15:00-15:15 break - - | Break
15:15-16:45 symposium PH CAN | Cytokines in Cancer IV: Cytokines and anti-tumour immunity | AG
  Type I interferons in anti-tumour immunity
  IL-10 in the tumour microenvironment
  NK cell cytokines and tumour surveillance
  Cytokine signatures predicting response to immunotherapy
15:15-16:45 symposium S2 INF | Infection & Immunity IV: Tuberculosis | AO
  Cytokine balance in tuberculosis
  Type I interferons in mycobacterial infection
  Host-directed therapies for tuberculosis
  Granuloma formation and the cytokine network
15:15-16:45 symposium S3 TRA | Translational & Clinical III: Engineering cytokine receptors | WL
  Structural principles of cytokine receptor assembly
  Designer cytokines with tailored signalling
  Common gamma-chain cytokines and lymphocyte homeostasis
  Partial agonists as a route to safer cytokine therapies
16:45-17:00 break - - | Break
17:00-18:00 plenary PH CAN | Plenary lecture: Rewiring cytokine signalling for cancer therapy | GS
  50 Rewiring cytokine signalling for cancer therapy | Laura Fernández
18:00-19:00 networking PO - | Trivia night and networking
  > The trivia tournament's evening round, then open tables.

= 20
09:00-10:00 plenary PH AUT | Keynote: The resolution of inflammation | SG
  50 The resolution of inflammation | Fatima Al-Sayed
10:00-10:15 break - - | Break
10:15-11:45 symposium PH IFN | Interferons V: Interferons as medicines | GS
  Interferon therapy in viral hepatitis: lessons learned
  Interferon-beta in multiple sclerosis
  Inhaled interferons for respiratory virus infection
  Targeting the interferon pathway in autoimmune disease
10:15-11:45 symposium S2 AUT | Autoimmunity & Inflammation IV: Tissue-resident immunity | LI
  Innate lymphoid cells and tissue cytokine networks
  IL-33 and alarmins at barrier sites
  Regulatory T cells and tissue repair
  Cytokine crosstalk between stromal and immune cells
10:15-11:45 symposium S3 CHE | Chemokines IV: Chemokines in cancer and metastasis | PT
  Chemokine receptors in metastatic dissemination
  Chemokines shaping T cell infiltration of tumours
  CCR4 and regulatory T cells in cancer
  Targeting chemokine pathways in combination immunotherapy
11:45-12:30 break - - | Lunch break
12:30-13:30 poster_session PO TRA | Poster session 4: Translational and clinical research | GJ, IH
13:30-15:00 plenary PH - | Presidential symposium: Cytokine biology from bench to bedside | SJ
  25 IL-17 receptor signalling in mucosal defence | SG
  25 Common gamma-chain cytokines in lymphocyte biology | WL
  25 IL-10 in infection and immunity | AO
15:00-15:15 break - - | Break
15:15-16:45 award_ceremony PH - | ICIS Awards Ceremony | EF, SJ
  > The Society presents its annual awards; this year's awardees give short lectures.
  15 Presentation of the ICIS awards | -
  25 Award lecture: Interferon-induced restriction of RNA viruses | Sophie Martin
  25 Award lecture: Cytokine signalling in tissue inflammation | Carlos Mendes
  25 Award lecture: Chemokine receptors as drug targets | Hye-jin Cho
16:45-17:00 break - - | Break
17:00-18:00 plenary PH - | Closing keynote: Cytokine research in the next decade | IH
  50 Cytokine research in the next decade | Tomás Herrera
18:00-18:30 plenary PH - nocme | Closing ceremony | SJ
  20 Closing remarks and a look ahead to Cytokines 2022 | SJ
"""
