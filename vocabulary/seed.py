"""The vocabulary every installation starts with: the themes' other names, the 23 objectives of the
Global Compact for Migration and the core migration terms.

The objectives' titles are the United Nations' own, in each language
(``data/gcm_objectives.json``, with its sources). The terms were written for this portal, not taken
from a glossary. In each language the first label is the preferred one, the others alternative; a
theme's labels are all alternative (the theme names it).
"""

import json
import re
from pathlib import Path

GCM_FILE = Path(__file__).with_name("data") / "gcm_objectives.json"
#: What ``gcm_identifier`` makes, its number as group 1.
GCM_IDENTIFIER = re.compile(r"gcm-objective-([0-9]{1,2})")


def gcm_identifier(number):
    """The identifier of the Global Compact's objective ``number`` (1-23): 'gcm-objective-10'."""
    return f"gcm-objective-{number}"


def gcm_objectives():
    """``[{"number": 1, "en": title, "fr": ..., "ar": ..., "es": ...}, ...]``, the 23 objectives
    as the General Assembly adopted them (A/RES/73/195, paragraph 16)."""
    return json.loads(GCM_FILE.read_text(encoding="utf-8"))


def _gcm(*numbers):
    return [gcm_identifier(number) for number in numbers]


#: Other names of the programme's themes, and the GCM objectives each serves.
THEMES = {
    "counter-trafficking": {
        "labels": {
            "en": ["human trafficking", "trafficking in persons", "trafficking"],
            "fr": ["traite des êtres humains", "traite des personnes"],
            "ar": ["الاتجار بالأشخاص", "الاتجار بالبشر"],
            "es": ["trata de personas", "trata de seres humanos"],
        },
        "related": _gcm(10),
    },
    "migrant-smuggling": {
        "labels": {
            "en": ["smuggling of migrants", "people smuggling", "smugglers"],
            "fr": ["trafic de migrants", "passeurs"],
            "ar": ["مهربو المهاجرين", "المهربون"],
            "es": ["tráfico de migrantes", "traficantes de migrantes"],
        },
        "related": _gcm(9),
    },
    "protection": {
        "labels": {
            "en": ["protection of migrants", "migrant protection"],
            "fr": ["protection des migrants"],
            "ar": ["حماية المهاجرين"],
            "es": ["protección de migrantes"],
        },
        "related": _gcm(7),
    },
    "return-and-reintegration": {
        "labels": {
            "en": ["reintegration", "voluntary return", "assisted voluntary return"],
            "fr": ["réintégration", "réinsertion", "retour volontaire"],
            "ar": ["إعادة الإدماج", "العودة الطوعية"],
            "es": ["reintegración", "retorno voluntario"],
        },
        "related": _gcm(21),
    },
    "mental-health-and-psychosocial-support": {
        "labels": {
            "en": ["MHPSS", "mental health", "psychosocial support"],
            "fr": ["SMSPS", "santé mentale", "soutien psychosocial"],
            "ar": ["الصحة النفسية", "الدعم النفسي الاجتماعي"],
            "es": ["SMAPS", "salud mental", "apoyo psicosocial"],
        },
        "related": _gcm(15),
    },
    "community-engagement": {
        "labels": {
            "en": ["community participation", "community-led"],
            "fr": ["participation communautaire", "engagement communautaire"],
            "ar": ["المشاركة المجتمعية"],
            "es": ["participación comunitaria"],
        },
        "related": _gcm(16),
    },
    "migration-governance": {
        "labels": {
            "en": ["migration policy", "migration management"],
            "fr": ["politique migratoire", "gouvernance des migrations"],
            "ar": ["سياسة الهجرة", "حوكمة الهجرة"],
            "es": ["política migratoria", "gobernanza migratoria"],
        },
        "related": _gcm(23),
    },
    "data-and-research": {
        "labels": {
            "en": ["migration data", "research"],
            "fr": ["données migratoires", "recherche"],
            "ar": ["بيانات الهجرة", "البحث"],
            "es": ["datos migratorios", "investigación"],
        },
        "related": _gcm(1),
    },
    "awareness-raising": {
        "labels": {
            "en": ["awareness", "sensitisation", "sensitization"],
            "fr": ["sensibilisation"],
            "ar": ["التوعية"],
            "es": ["sensibilización", "concienciación"],
        },
        "related": _gcm(3),
    },
}

#: Core migration terms: labels per language (the first preferred), broader concepts, related ones.
TERMS = {
    "returnees": {
        "labels": {
            "en": ["returnees", "returning migrants"],
            "fr": ["personnes retournées", "migrants de retour", "rapatriés"],
            "ar": ["العائدون", "المهاجرون العائدون"],
            "es": ["personas retornadas", "migrantes retornados"],
        },
        "broader": ["return-and-reintegration"],
        "related": _gcm(21),
    },
    "referral-pathways": {
        "labels": {
            "en": ["referral pathways", "referral mechanism"],
            "fr": ["circuits d'orientation", "mécanisme d'orientation", "référencement"],
            "ar": ["مسارات الإحالة", "آلية الإحالة"],
            "es": ["rutas de derivación", "mecanismos de derivación"],
        },
        "broader": ["protection"],
        "related": _gcm(7),
    },
    "case-management": {
        "labels": {
            "en": ["case management"],
            "fr": ["gestion des cas"],
            "ar": ["إدارة الحالات"],
            "es": ["gestión de casos"],
        },
        "broader": ["protection"],
    },
    "immigration-detention": {
        "labels": {
            "en": ["immigration detention", "detention"],
            "fr": ["rétention administrative", "détention"],
            "ar": ["احتجاز المهاجرين", "الاحتجاز"],
            "es": ["detención migratoria", "detención"],
        },
        "broader": ["protection"],
        "related": _gcm(13),
    },
    "alternatives-to-detention": {
        "labels": {
            "en": ["alternatives to detention"],
            "fr": ["alternatives à la détention"],
            "ar": ["بدائل الاحتجاز"],
            "es": ["alternativas a la detención"],
        },
        "broader": ["immigration-detention"],
        "related": _gcm(13),
    },
    "stranded-migrants": {
        "labels": {
            "en": ["stranded migrants"],
            "fr": ["migrants bloqués", "migrants en détresse"],
            "ar": ["المهاجرون العالقون"],
            "es": ["migrantes varados"],
        },
        "broader": ["protection"],
        "related": _gcm(7),
    },
    "search-and-rescue": {
        "labels": {
            "en": ["search and rescue", "rescue at sea"],
            "fr": ["recherche et sauvetage", "sauvetage en mer"],
            "ar": ["البحث والإنقاذ", "الإنقاذ في البحر"],
            "es": ["búsqueda y salvamento", "rescate en el mar"],
        },
        "broader": ["protection"],
        "related": _gcm(8),
    },
    "missing-migrants": {
        "labels": {
            "en": ["missing migrants"],
            "fr": ["migrants disparus"],
            "ar": ["المهاجرون المفقودون"],
            "es": ["migrantes desaparecidos"],
        },
        "related": ["search-and-rescue", *_gcm(8)],
    },
    "children": {
        "labels": {
            "en": ["children", "child migrants"],
            "fr": ["enfants", "enfants migrants"],
            "ar": ["الأطفال", "الأطفال المهاجرون"],
            "es": ["niños", "niñez", "infancia"],
        },
        "broader": ["protection"],
    },
    "unaccompanied-children": {
        "labels": {
            "en": ["unaccompanied children", "unaccompanied minors", "separated children"],
            "fr": ["enfants non accompagnés", "mineurs non accompagnés"],
            "ar": ["الأطفال غير المصحوبين", "القاصرون غير المصحوبين"],
            "es": ["niños no acompañados", "menores no acompañados"],
        },
        "broader": ["children"],
        "related": _gcm(7),
    },
    "women": {
        "labels": {
            "en": ["women", "migrant women"],
            "fr": ["femmes", "femmes migrantes"],
            "ar": ["النساء", "المهاجرات"],
            "es": ["mujeres", "mujeres migrantes"],
        },
    },
    "youth": {
        "labels": {
            "en": ["youth", "young people"],
            "fr": ["jeunes", "jeunesse"],
            "ar": ["الشباب"],
            "es": ["jóvenes", "juventud"],
        },
    },
    "gender-based-violence": {
        "labels": {
            "en": ["gender-based violence", "GBV", "sexual violence"],
            "fr": ["violences basées sur le genre", "VBG", "violences sexuelles"],
            "ar": ["العنف القائم على النوع الاجتماعي", "العنف الجنسي"],
            "es": ["violencia de género", "violencia sexual"],
        },
        "broader": ["protection"],
        "related": _gcm(7),
    },
    "victims-of-trafficking": {
        "labels": {
            "en": ["victims of trafficking", "survivors of trafficking"],
            "fr": ["victimes de la traite", "survivants de la traite"],
            "ar": ["ضحايا الاتجار بالبشر", "الناجون من الاتجار"],
            "es": ["víctimas de trata", "supervivientes de trata"],
        },
        "broader": ["counter-trafficking"],
        "related": _gcm(10),
    },
    "survivors": {
        "labels": {
            "en": ["survivors"],
            "fr": ["survivants", "survivantes"],
            "ar": ["الناجون"],
            "es": ["supervivientes", "sobrevivientes"],
        },
        "broader": ["protection"],
    },
    "forced-labour": {
        "labels": {
            "en": ["forced labour", "forced labor"],
            "fr": ["travail forcé"],
            "ar": ["العمل القسري"],
            "es": ["trabajo forzoso"],
        },
        "broader": ["counter-trafficking"],
        "related": _gcm(6, 10),
    },
    "labour-migration": {
        "labels": {
            "en": ["labour migration", "labor migration", "migrant workers"],
            "fr": ["migration de travail", "travailleurs migrants"],
            "ar": ["هجرة اليد العاملة", "العمال المهاجرون"],
            "es": ["migración laboral", "trabajadores migrantes"],
        },
        "broader": ["migration-governance"],
        "related": _gcm(6),
    },
    "domestic-workers": {
        "labels": {
            "en": ["domestic workers"],
            "fr": ["travailleurs domestiques", "travailleuses domestiques"],
            "ar": ["عمال المنازل", "العمالة المنزلية"],
            "es": ["trabajadoras domésticas", "trabajadores domésticos"],
        },
        "broader": ["labour-migration"],
        "related": _gcm(6),
    },
    "kafala": {
        "labels": {
            "en": ["kafala system", "kafala", "sponsorship system"],
            "fr": ["système de la kafala", "kafala"],
            "ar": ["نظام الكفالة", "الكفالة"],
            "es": ["sistema de kafala", "kafala"],
        },
        "broader": ["labour-migration"],
        "related": _gcm(6),
    },
    "livelihoods": {
        "labels": {
            "en": ["livelihoods", "income generation"],
            "fr": ["moyens de subsistance", "activités génératrices de revenus"],
            "ar": ["سبل العيش", "توليد الدخل"],
            "es": ["medios de vida", "generación de ingresos"],
        },
        "related": ["return-and-reintegration", *_gcm(2)],
    },
    "cash-transfers": {
        "labels": {
            "en": ["cash transfers", "cash assistance"],
            "fr": ["transferts monétaires", "assistance monétaire"],
            "ar": ["التحويلات النقدية", "المساعدات النقدية"],
            "es": ["transferencias monetarias", "transferencias en efectivo"],
        },
        "broader": ["livelihoods"],
    },
    "diaspora": {
        "labels": {
            "en": ["diaspora", "diaspora associations"],
            "fr": ["diaspora", "associations de la diaspora"],
            "ar": ["المغتربون", "الجاليات في الخارج"],
            "es": ["diáspora"],
        },
        "related": _gcm(19),
    },
    "remittances": {
        "labels": {
            "en": ["remittances"],
            "fr": ["transferts de fonds", "envois de fonds"],
            "ar": ["التحويلات المالية"],
            "es": ["remesas"],
        },
        "related": ["diaspora", *_gcm(20)],
    },
    "civil-documentation": {
        "labels": {
            "en": ["civil documentation", "identity documents", "birth registration"],
            "fr": ["documents d'état civil", "pièces d'identité"],
            "ar": ["الوثائق المدنية", "وثائق الهوية"],
            "es": ["documentación civil", "documentos de identidad"],
        },
        "broader": ["protection"],
        "related": _gcm(4),
    },
    "legal-aid": {
        "labels": {
            "en": ["legal aid", "legal assistance"],
            "fr": ["aide juridique", "assistance juridique"],
            "ar": ["المساعدة القانونية"],
            "es": ["asistencia jurídica", "asesoría legal"],
        },
        "broader": ["protection"],
    },
    "consular-assistance": {
        "labels": {
            "en": ["consular assistance", "consular protection", "consular cooperation"],
            "fr": ["assistance consulaire", "protection consulaire"],
            "ar": ["المساعدة القنصلية", "الحماية القنصلية"],
            "es": ["asistencia consular", "protección consular"],
        },
        "broader": ["protection"],
        "related": _gcm(14),
    },
    "shelter": {
        "labels": {
            "en": ["shelter", "shelters"],
            "fr": ["hébergement", "centres d'hébergement"],
            "ar": ["المأوى", "مراكز الإيواء"],
            "es": ["albergue", "albergues"],
        },
        "broader": ["protection"],
    },
    "health": {
        "labels": {
            "en": ["health", "health care"],
            "fr": ["santé", "soins de santé"],
            "ar": ["الصحة", "الرعاية الصحية"],
            "es": ["salud", "atención sanitaria"],
        },
        "related": _gcm(15),
    },
    "education": {
        "labels": {
            "en": ["education"],
            "fr": ["éducation"],
            "ar": ["التعليم"],
            "es": ["educación"],
        },
        "related": _gcm(15),
    },
    "peer-support": {
        "labels": {
            "en": ["peer support"],
            "fr": ["soutien par les pairs", "pair-aidance"],
            "ar": ["دعم الأقران"],
            "es": ["apoyo entre pares"],
        },
        "broader": ["mental-health-and-psychosocial-support"],
    },
    "social-cohesion": {
        "labels": {
            "en": ["social cohesion"],
            "fr": ["cohésion sociale"],
            "ar": ["التماسك الاجتماعي"],
            "es": ["cohesión social"],
        },
        "broader": ["community-engagement"],
        "related": _gcm(16),
    },
    "host-communities": {
        "labels": {
            "en": ["host communities"],
            "fr": ["communautés d'accueil"],
            "ar": ["المجتمعات المضيفة"],
            "es": ["comunidades de acogida"],
        },
        "broader": ["community-engagement"],
        "related": _gcm(16),
    },
    "community-leaders": {
        "labels": {
            "en": ["community leaders"],
            "fr": ["leaders communautaires", "chefs communautaires"],
            "ar": ["قادة المجتمع"],
            "es": ["líderes comunitarios"],
        },
        "broader": ["community-engagement"],
    },
    "volunteers": {
        "labels": {
            "en": ["volunteers", "community volunteers"],
            "fr": ["volontaires", "bénévoles"],
            "ar": ["المتطوعون"],
            "es": ["voluntarios", "voluntariado"],
        },
        "broader": ["community-engagement"],
    },
    "local-authorities": {
        "labels": {
            "en": ["local authorities", "local governance", "municipalities"],
            "fr": ["collectivités territoriales", "gouvernance locale", "communes"],
            "ar": ["السلطات المحلية", "الحكم المحلي", "البلديات"],
            "es": ["autoridades locales", "gobernanza local", "municipios"],
        },
        "broader": ["migration-governance"],
    },
    "border-management": {
        "labels": {
            "en": ["border management", "border", "borders"],
            "fr": ["gestion des frontières", "frontière", "frontières"],
            "ar": ["إدارة الحدود", "الحدود"],
            "es": ["gestión de fronteras", "frontera", "fronteras"],
        },
        "broader": ["migration-governance"],
        "related": _gcm(11),
    },
    "irregular-migration": {
        "labels": {
            "en": ["irregular migration"],
            "fr": ["migration irrégulière"],
            "ar": ["الهجرة غير النظامية"],
            "es": ["migración irregular"],
        },
        "related": ["migrant-smuggling", *_gcm(5)],
    },
    "internally-displaced-persons": {
        "labels": {
            "en": ["internally displaced persons", "IDPs", "displacement"],
            "fr": ["personnes déplacées internes", "déplacés internes", "déplacement"],
            "ar": ["النازحون داخليا", "النزوح"],
            "es": ["personas desplazadas internas", "desplazados internos", "desplazamiento"],
        },
        "related": _gcm(2),
    },
    "asylum-seekers": {
        "labels": {
            "en": ["asylum seekers", "asylum"],
            "fr": ["demandeurs d'asile", "asile"],
            "ar": ["طالبو اللجوء", "اللجوء"],
            "es": ["solicitantes de asilo", "asilo"],
        },
        "broader": ["protection"],
    },
    "awareness-campaigns": {
        "labels": {
            "en": ["awareness campaigns", "information campaigns"],
            "fr": ["campagnes de sensibilisation", "campagnes d'information"],
            "ar": ["حملات التوعية"],
            "es": ["campañas de sensibilización", "campañas informativas"],
        },
        "broader": ["awareness-raising"],
        "related": _gcm(3),
    },
    "flow-monitoring": {
        "labels": {
            "en": ["flow monitoring", "displacement tracking"],
            "fr": ["suivi des flux", "suivi des flux migratoires"],
            "ar": ["رصد التدفقات"],
            "es": ["monitoreo de flujos", "seguimiento de flujos"],
        },
        "broader": ["data-and-research"],
        "related": _gcm(1),
    },
    "data-protection": {
        "labels": {
            "en": ["data protection", "personal data"],
            "fr": ["protection des données", "données personnelles"],
            "ar": ["حماية البيانات", "البيانات الشخصية"],
            "es": ["protección de datos", "datos personales"],
        },
        "broader": ["data-and-research"],
        "related": _gcm(1),
    },
    "child-protection": {
        "labels": {
            "en": ["child protection", "best interests", "best interests of the child"],
            "fr": ["protection de l'enfance", "intérêt supérieur de l'enfant"],
            "ar": ["حماية الطفل", "مصالح الطفل الفضلى"],
            "es": ["protección de la infancia", "interés superior del niño"],
        },
        "broader": ["children"],
        "related": _gcm(7),
    },
    "integration": {
        "labels": {
            "en": ["integration", "social inclusion"],
            "fr": ["intégration", "inclusion sociale"],
            "ar": ["الإدماج", "الاندماج الاجتماعي"],
            "es": ["integración", "inclusión social"],
        },
        "related": _gcm(16),
    },
    "housing": {
        "labels": {
            "en": ["housing"],
            "fr": ["logement"],
            "ar": ["السكن"],
            "es": ["vivienda"],
        },
        "related": _gcm(15),
    },
    "stigma": {
        "labels": {
            "en": ["stigma", "discrimination"],
            "fr": ["stigmatisation", "discrimination"],
            "ar": ["الوصم", "التمييز"],
            "es": ["estigma", "discriminación"],
        },
        "related": _gcm(17),
    },
    "savings-groups": {
        "labels": {
            "en": ["savings groups", "village savings and loan associations"],
            "fr": ["groupes d'épargne", "tontines"],
            "ar": ["مجموعات الادخار"],
            "es": ["grupos de ahorro"],
        },
        "broader": ["livelihoods"],
    },
    "maternal-health": {
        "labels": {
            "en": ["maternal health"],
            "fr": ["santé maternelle"],
            "ar": ["صحة الأم"],
            "es": ["salud materna"],
        },
        "broader": ["health"],
    },
    "expulsions": {
        "labels": {
            "en": ["expulsions", "deportations", "forced returns"],
            "fr": ["expulsions", "refoulements", "retours forcés"],
            "ar": ["الطرد", "الترحيل", "الإعادة القسرية"],
            "es": ["expulsiones", "deportaciones", "retornos forzosos"],
        },
        "broader": ["border-management"],
        "related": _gcm(21),
    },
    "sea-crossings": {
        "labels": {
            "en": ["sea crossings", "boat departures"],
            "fr": ["traversées maritimes", "départs en pirogue"],
            "ar": ["العبور البحري", "الرحلات البحرية"],
            "es": ["travesías marítimas", "salidas en cayuco"],
        },
        "broader": ["irregular-migration"],
        "related": ["search-and-rescue", *_gcm(8)],
    },
}
