"""The programme's partner countries and its managed vocabulary of themes, in the four languages.

Country names are not here: they come from ISO 3166-1 through pycountry (see ``country_name``).
"""

from django.utils.text import slugify

#: ISO 3166-1 alpha-2 codes of the twelve partner countries.
PARTNER_COUNTRIES = (
    "AF",
    "TD",
    "EG",
    "ET",
    "IQ",
    "LB",
    "LY",
    "ML",
    "MA",
    "NE",
    "NG",
    "TN",
)

#: Themes: slug, then name and description per language code.
THEMES = {
    "counter-trafficking": {
        "en": (
            "Counter-trafficking",
            "Preventing human trafficking, identifying and protecting survivors, and prosecuting traffickers.",
        ),
        "fr": (
            "Lutte contre la traite",
            "Prévenir la traite des êtres humains, identifier et protéger les survivants, poursuivre les trafiquants.",
        ),
        "ar": (
            "مكافحة الاتجار بالبشر",
            "منع الاتجار بالبشر وتحديد الناجين وحمايتهم وملاحقة المتاجرين قضائياً.",
        ),
        "es": (
            "Lucha contra la trata",
            "Prevenir la trata de personas, identificar y proteger a los supervivientes y perseguir a los tratantes.",
        ),
    },
    "migrant-smuggling": {
        "en": (
            "Migrant smuggling",
            "Reducing the harm of smuggling networks and protecting people who travel with them.",
        ),
        "fr": (
            "Trafic illicite de migrants",
            "Réduire les dommages causés par les réseaux de passeurs et protéger les personnes qui y ont recours.",
        ),
        "ar": (
            "تهريب المهاجرين",
            "الحد من أضرار شبكات التهريب وحماية الأشخاص الذين يسافرون معها.",
        ),
        "es": (
            "Tráfico ilícito de migrantes",
            "Reducir el daño de las redes de tráfico y proteger a quienes viajan con ellas.",
        ),
    },
    "protection": {
        "en": (
            "Protection",
            "Safety, dignity and rights of migrants in vulnerable situations, including children and survivors of violence.",
        ),
        "fr": (
            "Protection",
            "Sécurité, dignité et droits des migrants en situation de vulnérabilité, y compris les enfants et les survivants de violences.",
        ),
        "ar": (
            "الحماية",
            "سلامة المهاجرين في أوضاع هشة وكرامتهم وحقوقهم، بمن فيهم الأطفال والناجون من العنف.",
        ),
        "es": (
            "Protección",
            "Seguridad, dignidad y derechos de las personas migrantes en situación de vulnerabilidad, incluidos niños y supervivientes de violencia.",
        ),
    },
    "return-and-reintegration": {
        "en": (
            "Return and reintegration",
            "Safe, dignified return and sustainable economic, social and psychosocial reintegration.",
        ),
        "fr": (
            "Retour et réintégration",
            "Retour sûr et digne et réintégration économique, sociale et psychosociale durable.",
        ),
        "ar": (
            "العودة وإعادة الإدماج",
            "العودة الآمنة والكريمة وإعادة الإدماج الاقتصادي والاجتماعي والنفسي المستدام.",
        ),
        "es": (
            "Retorno y reintegración",
            "Retorno seguro y digno y reintegración económica, social y psicosocial sostenible.",
        ),
    },
    "mental-health-and-psychosocial-support": {
        "en": (
            "Mental health and psychosocial support",
            "Community-based and specialised care for the mental health and wellbeing of migrants and their families.",
        ),
        "fr": (
            "Santé mentale et soutien psychosocial",
            "Soins communautaires et spécialisés pour la santé mentale et le bien-être des migrants et de leurs familles.",
        ),
        "ar": (
            "الصحة النفسية والدعم النفسي الاجتماعي",
            "رعاية مجتمعية ومتخصصة للصحة النفسية ورفاه المهاجرين وأسرهم.",
        ),
        "es": (
            "Salud mental y apoyo psicosocial",
            "Atención comunitaria y especializada para la salud mental y el bienestar de las personas migrantes y sus familias.",
        ),
    },
    "community-engagement": {
        "en": (
            "Community engagement",
            "Working with and led by communities of origin, transit and return.",
        ),
        "fr": (
            "Engagement communautaire",
            "Travailler avec les communautés d'origine, de transit et de retour, et sous leur conduite.",
        ),
        "ar": (
            "المشاركة المجتمعية",
            "العمل مع مجتمعات المنشأ والعبور والعودة وبقيادتها.",
        ),
        "es": (
            "Participación comunitaria",
            "Trabajar con las comunidades de origen, tránsito y retorno, y bajo su liderazgo.",
        ),
    },
    "migration-governance": {
        "en": (
            "Migration governance",
            "Laws, policies, institutions and coordination that shape how migration is managed.",
        ),
        "fr": (
            "Gouvernance des migrations",
            "Lois, politiques, institutions et coordination qui encadrent la gestion des migrations.",
        ),
        "ar": (
            "حوكمة الهجرة",
            "القوانين والسياسات والمؤسسات وآليات التنسيق التي تحدد كيفية إدارة الهجرة.",
        ),
        "es": (
            "Gobernanza de la migración",
            "Leyes, políticas, instituciones y coordinación que determinan cómo se gestiona la migración.",
        ),
    },
    "data-and-research": {
        "en": (
            "Data and research",
            "Evidence on migration flows, needs and outcomes, and how it is collected, protected and used.",
        ),
        "fr": (
            "Données et recherche",
            "Données probantes sur les flux, les besoins et les résultats, et leur collecte, protection et utilisation.",
        ),
        "ar": (
            "البيانات والبحوث",
            "الأدلة حول تدفقات الهجرة والاحتياجات والنتائج، وكيفية جمعها وحمايتها واستخدامها.",
        ),
        "es": (
            "Datos e investigación",
            "Evidencia sobre flujos migratorios, necesidades y resultados, y cómo se recopila, protege y utiliza.",
        ),
    },
    "awareness-raising": {
        "en": (
            "Awareness raising",
            "Information that helps people make informed decisions about migration.",
        ),
        "fr": (
            "Sensibilisation",
            "Une information qui aide chacun à prendre des décisions éclairées sur la migration.",
        ),
        "ar": ("التوعية", "معلومات تساعد الناس على اتخاذ قرارات مستنيرة بشأن الهجرة."),
        "es": (
            "Sensibilización",
            "Información que ayuda a las personas a tomar decisiones informadas sobre la migración.",
        ),
    },
}

#: Titles of the structural pages of each language tree: slug -> {language: title}.
SITE_PAGE_TITLES = {
    "home": {
        "en": "COMPASS Knowledge Portal",
        "fr": "Portail de connaissances COMPASS",
        "ar": "بوابة المعرفة COMPASS",
        "es": "Portal de conocimiento COMPASS",
    },
    "lessons": {
        "en": "Lessons learned",
        "fr": "Enseignements tirés",
        "ar": "الدروس المستفادة",
        "es": "Lecciones aprendidas",
    },
    "practice-briefs": {
        "en": "Community-led practice briefs",
        "fr": "Fiches de pratiques communautaires",
        "ar": "موجزات الممارسات المجتمعية",
        "es": "Fichas de prácticas comunitarias",
    },
    "policy-notes": {
        "en": "Policy notes",
        "fr": "Notes de politique",
        "ar": "مذكرات السياسات",
        "es": "Notas de política",
    },
    "themes": {"en": "Themes", "fr": "Thèmes", "ar": "المواضيع", "es": "Temas"},
    "regional-and-global": {
        "en": "Regional and global",
        "fr": "Régional et mondial",
        "ar": "إقليمي وعالمي",
        "es": "Regional y mundial",
    },
}

#: Which knowledge type each type-listing slug shows.
LISTING_TYPES = {
    "lessons": "lessons_report",
    "practice-briefs": "practice_brief",
    "policy-notes": "policy_note",
}


def section_slug(english_country_name):
    """URL slug of a country section, the same in every language, e.g. 'mali'."""
    return slugify(english_country_name)
