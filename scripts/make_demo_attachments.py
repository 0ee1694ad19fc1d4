"""Generate the demo PDF attachments named in ``knowledge.jsonl``.

Every item of the demo JSON Lines file may list attachments
(``{"file": "name.pdf", "title": "..."}``). This script writes one small PDF
per attachment into ``knowledge/demo/attachments/``, beside the JSONL file. Each PDF
repeats the item's title and summary, expands on the item (context, methodology,
findings, recommendations) and ends with an annex table as plain text. The extra
material that is not in the JSONL (methodology notes and annex tables) is kept in
``EXTRA`` below, keyed by file name.

The PDFs use fpdf2's built-in Helvetica font, which only covers Latin-1, so text
is transliterated first (curly quotes, dashes, the oe ligature, ...). Arabic items
have no attachments.

Usage (from the repository root)::

    .venv/bin/python scripts/make_demo_attachments.py
    .venv/bin/python scripts/make_demo_attachments.py --jsonl FILE --out DIR

Import the items with the same folder::

    python manage.py import_knowledge knowledge/demo/knowledge.jsonl \\
        --attachments knowledge/demo/attachments
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

DEMO = Path(__file__).resolve().parent.parent / "knowledge" / "demo"

LABELS = {
    "en": {
        "summary": "Summary",
        "about": "About this document",
        "context": "Context",
        "methodology": "Methodology",
        "findings": "Findings",
        "what_worked": "What worked",
        "what_did_not_work": "What did not work",
        "lessons": "Lessons learned",
        "recommendations": "Recommendations",
        "key_messages": "Key messages",
        "community": "Community",
        "location": "Location",
        "practice": "The practice",
        "led_by": "Led by",
        "results": "Results",
        "replication": "What it takes to replicate it",
        "contact": "Contact",
        "annex": "Annex",
        "authors": "Authors",
        "published": "Published",
        "phase": "Programme phase",
        "period": "Period covered",
        "countries": "Countries",
        "audience": "For",
        "page": "Page",
    },
    "fr": {
        "summary": "Résumé",
        "about": "À propos de ce document",
        "context": "Contexte",
        "methodology": "Méthodologie",
        "findings": "Constats",
        "what_worked": "Ce qui a fonctionné",
        "what_did_not_work": "Ce qui n'a pas fonctionné",
        "lessons": "Enseignements",
        "recommendations": "Recommandations",
        "key_messages": "Messages clés",
        "community": "Communauté",
        "location": "Lieu",
        "practice": "La pratique",
        "led_by": "Portée par",
        "results": "Résultats",
        "replication": "Conditions de réplication",
        "contact": "Contact",
        "annex": "Annexe",
        "authors": "Auteurs",
        "published": "Publication",
        "phase": "Phase du programme",
        "period": "Période couverte",
        "countries": "Pays",
        "audience": "Destinataires",
        "page": "Page",
    },
    "es": {
        "summary": "Resumen",
        "about": "Acerca de este documento",
        "context": "Contexto",
        "methodology": "Metodología",
        "findings": "Hallazgos",
        "what_worked": "Lo que funcionó",
        "what_did_not_work": "Lo que no funcionó",
        "lessons": "Lecciones aprendidas",
        "recommendations": "Recomendaciones",
        "key_messages": "Mensajes clave",
        "community": "Comunidad",
        "location": "Lugar",
        "practice": "La práctica",
        "led_by": "Dirigida por",
        "results": "Resultados",
        "replication": "Qué hace falta para replicarla",
        "contact": "Contacto",
        "annex": "Anexo",
        "authors": "Autores",
        "published": "Publicación",
        "phase": "Fase del programa",
        "period": "Periodo cubierto",
        "countries": "Países",
        "audience": "Destinatarios",
        "page": "Página",
    },
}

AUDIENCES = {
    "en": {
        "national-government": "National government",
        "local-authorities": "Local authorities",
        "donors": "Donors",
        "civil-society": "Civil society",
        "international-organisations": "International organisations",
        "communities": "Communities",
        "private-sector": "Private sector",
    },
    "fr": {
        "national-government": "Gouvernement national",
        "local-authorities": "Autorités locales",
        "donors": "Bailleurs de fonds",
        "civil-society": "Société civile",
        "international-organisations": "Organisations internationales",
        "communities": "Communautés",
        "private-sector": "Secteur privé",
    },
    "es": {
        "national-government": "Gobierno nacional",
        "local-authorities": "Autoridades locales",
        "donors": "Donantes",
        "civil-society": "Sociedad civil",
        "international-organisations": "Organismos internacionales",
        "communities": "Comunidades",
        "private-sector": "Sector privado",
    },
}

# Material that only exists in the PDFs: methodology notes and annex tables.
# The first row of each table is its header.
EXTRA = {
    "ml-lr-2023-01.pdf": {
        "methodology": (
            "The review combined programme monitoring data with a follow-up survey and "
            "qualitative work. The survey sample of 528 returnees was drawn at random from "
            "the 1,140 beneficiaries, stratified by region and type of support; 412 were "
            "reached. Interviews in Gao were held by phone when travel was unsafe.",
            "Focus groups were held separately for women and men and for returnees and "
            "residents. A project was counted as operating when it had sold goods or "
            "services in the month before the visit.",
        ),
        "tables": (
            {
                "title": "Annex 1. Projects and businesses operating 18 months after start-up",
                "rows": (
                    ("Region", "Collective funded", "Operating", "Individual funded", "Operating"),
                    ("Mopti (incl. Sevare, Socoura)", "21", "15", "391", "176"),
                    ("Gao", "17", "12", "311", "147"),
                    ("Total", "38", "27 (71%)", "702", "323 (46%)"),
                ),
            },
        ),
    },
    "ml-lr-2023-01-fr.pdf": {
        "methodology": (
            "La revue associe les données de suivi du programme, une enquête de suivi et "
            "un travail qualitatif. L'échantillon de 528 personnes retournées a été tiré au "
            "hasard parmi les 1 140 bénéficiaires, par région et par type d'appui ; 412 ont "
            "été jointes. À Gao, les entretiens ont eu lieu par téléphone lorsque les "
            "déplacements étaient dangereux.",
            "Les groupes de discussion ont réuni séparément les femmes et les hommes, les "
            "personnes retournées et les habitants. Un projet est considéré comme actif "
            "lorsqu'il a vendu des biens ou des services le mois précédant la visite.",
        ),
        "tables": (
            {
                "title": "Annexe 1. Projets et entreprises actifs 18 mois après le démarrage",
                "rows": (
                    ("Région", "Collectifs financés", "Actifs", "Individuels financés", "Actifs"),
                    ("Mopti (dont Sévaré, Socoura)", "21", "15", "391", "176"),
                    ("Gao", "17", "12", "311", "147"),
                    ("Total", "38", "27 (71 %)", "702", "323 (46 %)"),
                ),
            },
        ),
    },
    "ne-lr-2021-01.pdf": {
        "methodology": (
            "Les chiffres proviennent des registres du centre de transit et des fiches "
            "d'intervention des équipes mobiles. Les personnes assistées plusieurs fois n'ont "
            "été comptées qu'une fois dans le total grâce au numéro de dossier.",
            "Les 27 entretiens ont été menés en haoussa, en français et en anglais par deux "
            "enquêteurs qui n'avaient pas travaillé au centre. Les ateliers de novembre 2020 "
            "ont permis de valider les enseignements avec les autorités régionales.",
        ),
        "tables": (
            {
                "title": "Tableau A1. Personnes assistées par année",
                "rows": (
                    ("Année", "Secourues dans le désert", "Accueillies à Assamaka", "Total"),
                    ("2018", "420", "1 350", "1 910"),
                    ("2019", "510", "1 640", "2 260"),
                    ("2020", "550", "1 190", "2 150"),
                    ("Total", "1 480", "4 180", "6 320"),
                ),
            },
            {
                "title": "Tableau A2. Occupation du centre de transit d'Agadez (500 places)",
                "rows": (
                    ("Période", "Présents (pic)", "Durée moyenne de séjour"),
                    ("2018-2019", "640", "9 jours"),
                    ("Avril 2020", "1 410", "47 jours"),
                    ("Décembre 2020", "520", "21 jours"),
                ),
            },
        ),
    },
    "ng-lr-2022-01.pdf": {
        "methodology": (
            "Case files were anonymised by the case management team before analysis. The "
            "follow-up survey was offered to all survivors reachable by phone; 305 agreed "
            "to take part, and interviews were held by female staff in English or Edo.",
            "Focus groups were facilitated by trained survivor peers without programme "
            "staff in the room. Income was self-reported and counted when a survivor had "
            "earned money in each of the three previous months.",
        ),
        "tables": (
            {
                "title": "Annex table. Livelihood support and income after 12 months",
                "rows": (
                    ("Type of support", "Supported", "Surveyed", "Earning", "Share"),
                    ("Apprenticeship with stipend", "290", "110", "70", "64%"),
                    ("Standard business kit", "340", "120", "40", "33%"),
                    ("Tailored grant and business plan", "150", "75", "44", "59%"),
                    ("No livelihood support", "80", "-", "-", "-"),
                    ("Total", "860", "305", "154", "50%"),
                ),
            },
        ),
    },
    "iq-lr-2024-01.pdf": {
        "methodology": (
            "Attendance was recorded with a participant code, not a name. Distress was "
            "measured before and after the group cycle with a short, locally validated "
            "scale administered in Arabic by the facilitator.",
            "Interviews with facilitators and psychologists, and focus groups with "
            "parents and adolescents, were conducted by an external team in November and "
            "December 2023.",
        ),
        "tables": (
            {
                "title": "Annex 1. Participants by level of care, 2021-2023",
                "widths": (10, 54, 18, 18),
                "rows": (
                    ("Level", "Support", "Participants", "Share"),
                    ("1", "Recreational and information sessions", "6,580", "70%"),
                    ("2", "Structured group sessions", "1,880", "20%"),
                    ("3", "Individual counselling", "780", "8%"),
                    ("4", "Referral to specialist care", "160", "2%"),
                    ("", "Total", "9,400", "100%"),
                ),
            },
        ),
    },
    "af-lr-2025-01.pdf": {
        "methodology": (
            "Registration data were collected at the border reception area with consent. "
            "The post-distribution survey sampled households at random from the cash "
            "distribution lists in two rounds; female enumerators interviewed women where "
            "access was agreed.",
            "Settlement location was asked one month after arrival, by phone or in person. "
            "Rent prices were collected monthly from 40 landlords and brokers in Jalalabad.",
        ),
        "tables": (
            {
                "title": "Annex 1. Assistance delivered, October 2023 - September 2024",
                "widths": (60, 20, 20),
                "rows": (
                    ("Assistance", "Reached", "Unit"),
                    ("Border registration and screening", "38,500", "people"),
                    ("Multi-purpose cash at the border", "5,450", "households"),
                    ("Onward transport", "4,100", "households"),
                    ("Rental support (3 months)", "2,900", "households"),
                    ("Documentation support", "1,840", "people"),
                    ("Home-based livelihoods (target 1,500)", "310", "women"),
                ),
            },
            {
                "title": "Annex 2. Where households lived one month after arrival",
                "rows": (
                    ("Location", "Share of households"),
                    ("Jalalabad city", "41%"),
                    ("Behsud and Surkh Rod (peri-urban)", "17%"),
                    ("District of origin in Nangarhar", "27%"),
                    ("Other provinces", "15%"),
                ),
            },
        ),
    },
    "et-lr-2022-01.pdf": {
        "methodology": (
            "Enumerators counted people passing each point during fixed daily hours and "
            "interviewed a sample with an individual survey. Counts are movements, not "
            "individuals: one person may be counted at more than one point.",
            "Deaths and medical emergencies on the route were taken from the registers of "
            "the health posts in Logiya and Elidar, not from the survey, and are reported "
            "separately to the regional health bureau.",
        ),
        "tables": (
            {
                "title": "Annex 1. Movements counted by monitoring point",
                "rows": (
                    ("Point", "2019", "2020", "2021", "Total"),
                    ("Semera bus station", "28,400", "14,900", "17,300", "60,600"),
                    ("Logiya", "25,100", "13,200", "15,800", "54,100"),
                    ("Elidar", "21,700", "10,600", "12,900", "45,200"),
                    ("Galafi", "24,300", "11,800", "14,700", "50,800"),
                    ("Total", "99,500", "50,500", "60,700", "210,700"),
                ),
            },
            {
                "title": "Annex 2. Individual survey versions",
                "rows": (
                    ("Version", "Questions", "Average duration", "Refusals"),
                    ("2019-2020", "62", "35 minutes", "45%"),
                    ("2021", "18", "9 minutes", "12%"),
                ),
            },
        ),
    },
    "td-lr-2024-01.pdf": {
        "methodology": (
            "Les registres des guichets ont été nettoyés pour supprimer les doublons. Pour "
            "mesurer l'effet des orientations, 600 personnes orientées ont été tirées au "
            "hasard et contactées par téléphone ou visitées par des agents communautaires.",
            "Les entretiens ont été conduits en arabe tchadien et en français. L'atelier de "
            "N'Djamena a réuni 34 participants des services de l'État, des organisations et "
            "des associations de personnes retournées.",
        ),
        "tables": (
            {
                "title": "Tableau A1. Personnes accueillies par guichet et par année",
                "rows": (
                    ("Guichet", "2021", "2022", "2023", "Total"),
                    ("Faya-Largeau (retours de Libye)", "2 300", "2 950", "2 150", "7 400"),
                    ("Abéché (retours du Soudan)", "-", "-", "4 400", "4 400"),
                    ("Total", "2 300", "2 950", "6 550", "11 800"),
                ),
            },
            {
                "title": "Tableau A2. Suivi de 600 orientations",
                "rows": (
                    ("Service", "Orientées", "Service reçu", "Part"),
                    ("Santé mentale", "140", "29", "21 %"),
                    ("Formation professionnelle", "210", "48", "23 %"),
                    ("Soins médicaux", "150", "61", "41 %"),
                    ("Appui juridique et état civil", "100", "44", "44 %"),
                    ("Total", "600", "182", "30 %"),
                ),
            },
        ),
    },
    "reg-lr-2024-01.pdf": {
        "methodology": (
            "The case transfer log recorded each referral with a case code, the sending and "
            "receiving focal points, dates of acknowledgement and the outcome. Sixty case "
            "summaries were reviewed against the data minimisation checklist.",
            "Consultations with children used participatory methods and were led by "
            "trained child protection staff, with a guardian or trusted adult present.",
        ),
        "tables": (
            {
                "title": "Table 1. Outcome of the 412 cross-border referrals",
                "widths": (64, 18, 18),
                "rows": (
                    ("Outcome", "Referrals", "Share"),
                    ("Assessment completed and follow-up in receiving country", "187", "45%"),
                    ("Acknowledged, closed without follow-up or pending", "127", "31%"),
                    ("Never acknowledged", "98", "24%"),
                    ("Total", "412", "100%"),
                ),
            },
        ),
    },
    "reg-lr-2024-01-annex.pdf": {
        "methodology": (
            "These tables summarise the case transfer log kept by the four focal points "
            "from March 2021 to December 2023. Figures are counts of referrals, not of "
            "children; a child referred twice is counted twice. No individual data are "
            "included.",
        ),
        "tables": (
            {
                "title": "Table A1. Referrals by sending and receiving location",
                "rows": (
                    ("From", "To", "Referrals", "Completed", "Not acknowledged"),
                    ("Gao (Mali)", "Agadez (Niger)", "96", "52", "12"),
                    ("Agadez (Niger)", "Sabha (Libya)", "118", "41", "38"),
                    ("Sabha (Libya)", "Sfax (Tunisia)", "54", "17", "22"),
                    ("Sfax (Tunisia)", "Mali (return)", "38", "22", "7"),
                    ("Sabha (Libya)", "Niger (return)", "61", "34", "11"),
                    ("Agadez (Niger)", "Mali (return)", "45", "21", "8"),
                    ("Total", "", "412", "187", "98"),
                ),
            },
            {
                "title": "Table A2. Referrals by year",
                "rows": (
                    ("Year", "Referrals", "Completed", "Not acknowledged"),
                    ("2021 (from March)", "104", "38", "35"),
                    ("2022", "162", "71", "37"),
                    ("2023", "146", "78", "26"),
                    ("Total", "412", "187", "98"),
                ),
            },
            {
                "title": "Table A3. Referrals by sex and age group",
                "rows": (
                    ("Group", "Referrals"),
                    ("Boys aged 15-17", "289"),
                    ("Boys under 15", "51"),
                    ("Girls aged 15-17", "54"),
                    ("Girls under 15", "18"),
                ),
            },
        ),
    },
    "ma-lr-2023-01-es.pdf": {
        "methodology": (
            "Los datos proceden de los registros del hospital regional, de los centros de "
            "salud y de las asociaciones, cruzados para eliminar duplicados. Las entrevistas "
            "con antiguos pacientes se realizaron en francés e inglés con ayuda de los "
            "mediadores, siempre con consentimiento informado.",
            "Se consideró una llegada nocturna toda atención registrada entre las 20.00 y "
            "las 7.00 horas.",
        ),
        "tables": (
            {
                "title": "Anexo 1. Pacientes atendidos y personas acogidas por año",
                "rows": (
                    ("Año", "Pacientes", "Urgencias por lesiones", "Acogidas en albergue"),
                    ("2019", "1.420", "610", "260"),
                    ("2020", "980", "390", "190"),
                    ("2021", "1.510", "700", "320"),
                    ("2022", "1.790", "860", "380"),
                    ("Total", "5.700", "2.560", "1.150"),
                ),
            },
        ),
    },
    "ng-pb-2021-01.pdf": {
        "methodology": (
            "This brief was prepared in two workshops with the steering group in September "
            "2021 and from the network's own attendance and savings records. Figures on "
            "re-migration come from the follow-up calls made by the coordinator.",
        ),
        "tables": (
            {
                "title": "Annex. Network activity, 2019-2021",
                "rows": (
                    ("Year", "Big sisters active", "Women accompanied", "Loans", "Talks"),
                    ("2019", "31", "52", "38", "24"),
                    ("2020", "44", "61", "47", "22"),
                    ("2021", "57", "75", "55", "50"),
                    ("Total", "57", "188", "140", "96"),
                ),
            },
        ),
    },
    "tn-pb-2022-01.pdf": {
        "methodology": (
            "Cette fiche a été rédigée à partir d'entretiens avec douze pêcheurs, le bureau "
            "de l'association, les services municipaux et le service régional de la santé, "
            "et des registres tenus par l'association depuis 2019.",
        ),
        "tables": (
            {
                "title": "Annexe 1. Formations et sauvetages, 2019-2021",
                "rows": (
                    ("Année", "Pêcheurs formés", "Bateaux équipés", "Sauvetages", "Secourus"),
                    ("2019", "30", "14", "5", "170"),
                    ("2020", "24", "12", "4", "150"),
                    ("2021", "32", "18", "8", "300"),
                    ("Total", "86", "44", "17", "620"),
                ),
            },
            {
                "title": "Annexe 2. Inhumations avec numéro de dossier",
                "rows": (
                    ("Période", "Inhumations", "Identifications"),
                    ("2020", "38", "3"),
                    ("2021", "46", "6"),
                    ("Janvier-mai 2022", "28", "2"),
                    ("Total", "112", "11"),
                ),
            },
        ),
    },
    "reg-pn-2024-01.pdf": {
        "methodology": (
            "The note draws on programme evidence from the four countries and on the "
            "conclusions of the Niamey workshop. The table below lists the main sources and "
            "one figure from each; the full reports are available in the knowledge portal.",
        ),
        "tables": (
            {
                "title": "Annex. Main sources used in this note",
                "widths": (18, 18, 14, 50),
                "rows": (
                    ("Source", "Countries", "Period", "Key figure"),
                    ("ne-lr-2021-01", "Niger", "2018-2020", "1,480 people rescued in the desert"),
                    ("ml-lr-2023-01", "Mali", "2020-2022", "7.2 months wait for first support"),
                    ("td-lr-2024-01", "Chad", "2021-2023", "11,800 returnees received"),
                    ("ly-lr-2020-01", "Libya", "2018-2019", "74 days of suspended visits"),
                    ("ne-pb-2022-01", "Niger", "2021-2022", "640 people referred by volunteers"),
                    ("reg-lr-2024-01", "ML, NE, LY, TN", "2021-2023", "412 referrals of children"),
                ),
            },
        ),
    },
}

TRANSLIT = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u2009": " ",
    "\u202f": " ",
    "\u20ac": "EUR",
}


def latin1(text: str) -> str:
    """Return ``text`` with every character outside Latin-1 replaced."""
    out = []
    for char in text:
        char = TRANSLIT.get(char, char)
        if len(char) == 1 and ord(char) > 255:
            decomposed = unicodedata.normalize("NFKD", char)
            char = "".join(c for c in decomposed if ord(c) < 256) or "?"
        out.append(char)
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


class KnowledgePDF(FPDF):
    def __init__(self, item: dict) -> None:
        super().__init__(format="A4")
        self.item = item
        self.labels = LABELS[item["language"]]
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110, 110, 110)
        text = f"COMPASS Knowledge Portal - {self.item['external_id']}"
        self.cell(0, 5, latin1(text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.labels['page']} {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def ensure_space(self, height: float) -> None:
        """Start a new page unless ``height`` mm are left, so blocks are not split."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, size: float = 12) -> None:
        self.ensure_space(25)
        self.ln(2)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, 6, latin1(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def subheading(self, text: str) -> None:
        self.ensure_space(15)
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(0, 5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def para(self, text: str, style: str = "") -> None:
        self.set_font("Helvetica", style, 10)
        self.multi_cell(0, 5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def text_block(self, text: str) -> None:
        for paragraph in paragraphs(text):
            self.para(paragraph)

    def numbered(self, number: int, statement: str, explanation: str = "") -> None:
        self.set_font("Helvetica", "B", 10)
        self.multi_cell(0, 5, latin1(f"{number}. {statement}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if explanation:
            self.set_font("Helvetica", "", 10)
            self.multi_cell(0, 5, latin1(explanation), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def data_table(self, title: str, rows: tuple, widths: tuple | None = None) -> None:
        self.ensure_space(12 + 5.5 * len(rows))
        self.ln(1)
        self.subheading(title)
        self.ln(1)
        self.set_font("Helvetica", "", 8.5)
        with self.table(line_height=5, text_align="LEFT", col_widths=widths) as table:
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(latin1(value))
        self.ln(3)


def meta_line(item: dict, labels: dict) -> str:
    parts = [item.get("organisation", "COMPASS")]
    parts.append(f"{labels['published']}: {item['publication_date']}")
    parts.append(f"{labels['countries']}: {', '.join(item['countries'])}")
    return " | ".join(parts)


def write_lessons_report(pdf: KnowledgePDF, item: dict, extra: dict) -> None:
    lab = pdf.labels
    pdf.heading(lab["context"])
    pdf.text_block(item["context"])
    pdf.heading(lab["methodology"])
    pdf.para(item["evidence"])
    for paragraph in extra.get("methodology", ()):
        pdf.para(paragraph)
    pdf.heading(lab["findings"])
    pdf.subheading(lab["what_worked"])
    pdf.text_block(item["what_worked"])
    pdf.subheading(lab["what_did_not_work"])
    pdf.text_block(item["what_did_not_work"])
    pdf.heading(lab["lessons"])
    for number, lesson in enumerate(item["lessons"], 1):
        pdf.numbered(number, lesson["statement"], lesson.get("explanation", ""))
    pdf.heading(lab["recommendations"])
    for number, rec in enumerate(item["recommendations"], 1):
        pdf.numbered(number, rec["statement"], rec.get("explanation", ""))


def write_practice_brief(pdf: KnowledgePDF, item: dict, extra: dict) -> None:
    lab = pdf.labels
    pdf.heading(lab["community"])
    pdf.para(item["community"])
    pdf.subheading(lab["location"])
    pdf.para(item["location"])
    pdf.heading(lab["practice"])
    pdf.text_block(item["practice"])
    pdf.subheading(lab["led_by"])
    pdf.para(item["led_by"])
    pdf.heading(lab["methodology"])
    for paragraph in extra.get("methodology", ()):
        pdf.para(paragraph)
    pdf.heading(lab["results"])
    pdf.text_block(item["results"])
    pdf.heading(lab["replication"])
    pdf.text_block(item["replication"])
    pdf.subheading(lab["contact"])
    pdf.para(item["contact_organisation"])


def write_policy_note(pdf: KnowledgePDF, item: dict, extra: dict) -> None:
    lab = pdf.labels
    audiences = AUDIENCES[item["language"]]
    pdf.heading(lab["key_messages"])
    for number, message in enumerate(item["key_messages"], 1):
        pdf.numbered(number, message)
    pdf.heading(lab["methodology"])
    for paragraph in extra.get("methodology", ()):
        pdf.para(paragraph)
    pdf.heading(lab["recommendations"])
    for number, rec in enumerate(item["recommendations"], 1):
        audience = audiences[rec["audience"]]
        pdf.numbered(number, rec["statement"], f"{lab['audience']}: {audience}")


WRITERS = {
    "lessons_report": write_lessons_report,
    "practice_brief": write_practice_brief,
    "policy_note": write_policy_note,
}


def build_pdf(item: dict, attachment: dict) -> bytes:
    """Return the bytes of one attachment PDF for ``item``."""
    extra = EXTRA.get(attachment["file"], {})
    pdf = KnowledgePDF(item)
    lab = pdf.labels
    pdf.set_title(latin1(item["title"]))
    pdf.set_author(latin1(", ".join(item.get("authors", [])) or item.get("organisation", "")))
    pdf.set_subject(latin1(attachment.get("title", "")))
    pdf.set_lang(item["language"])
    pdf.set_creator("COMPASS Knowledge Portal demo content")
    date = dt.date.fromisoformat(item["publication_date"])
    pdf.set_creation_date(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC))
    pdf.add_page()

    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(0, 70, 120)
    pdf.cell(0, 5, latin1(attachment.get("title", "")).upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 7.5, latin1(item["title"]), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 4.5, latin1(meta_line(item, lab)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if item.get("authors"):
        authors = f"{lab['authors']}: {', '.join(item['authors'])}"
        pdf.multi_cell(0, 4.5, latin1(authors), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if item["type"] == "lessons_report":
        details = (
            f"{lab['phase']}: {item['programme_phase']} | "
            f"{lab['period']}: {item['period_start']} - {item['period_end']}"
        )
        pdf.multi_cell(0, 4.5, latin1(details), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.heading(lab["summary"])
    pdf.para(item["summary"], style="I")

    if attachment["file"].endswith("-annex.pdf"):
        pdf.heading(lab["annex"])
        for paragraph in extra.get("methodology", ()):
            pdf.para(paragraph)
    else:
        if item.get("body"):
            pdf.heading(lab["about"])
            pdf.text_block(item["body"])
        WRITERS[item["type"]](pdf, item, extra)
        if extra.get("tables"):
            pdf.heading(lab["annex"])

    for table in extra.get("tables", ()):
        pdf.data_table(table["title"], table["rows"], table.get("widths"))
    return bytes(pdf.output())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl", type=Path, default=DEMO / "knowledge.jsonl")
    parser.add_argument("--out", type=Path, default=DEMO / "attachments")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    written = 0
    with args.jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            item = json.loads(line)
            for attachment in item.get("attachments", []):
                if attachment["file"] not in EXTRA:
                    sys.stderr.write(f"note: no extra content for {attachment['file']}\n")
                (args.out / attachment["file"]).write_bytes(build_pdf(item, attachment))
                written += 1
    sys.stdout.write(f"wrote {written} PDF(s) to {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
