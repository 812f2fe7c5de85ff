"""Word lists for the synthetic demo workbook: names, partners, places and shared vocabularies.

Every person in the demo is a random combination of a first name and a surname from these
lists, so no row describes a real person. Postcode digits are real Zoetermeer PC4 areas.
"""

from __future__ import annotations

from sow_sheets.model.words import DAY_NAMES

# Zoetermeer PC4 areas present in the vendored GeoNames table (2714 and 2720 are not in use).
ZOETERMEER_PC4: tuple[int, ...] = (
    2711, 2712, 2713, 2715, 2716, 2717, 2718, 2719,
    2721, 2722, 2723, 2724, 2725, 2726, 2727, 2728, 2729,
)  # fmt: skip

# Dutch postcode letters never use F, I, O, Q, U or Y; S is left out to avoid SA/SD/SS.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"

OLDER_WOMEN: tuple[str, ...] = (
    "Riet", "Ans", "Joke", "Truus", "Wil", "Tineke", "Marga", "Els", "Gerda", "Ineke",
    "Corrie", "Annie", "Nel", "Bep", "Greet", "Loes", "Hennie", "Marianne", "Thea", "Carla",
    "Fatma", "Halina", "Leny", "Rina", "Mieke", "Jannie", "Ria", "Hanneke", "Wilma", "Lidy",
)  # fmt: skip
OLDER_MEN: tuple[str, ...] = (
    "Henk", "Kees", "Wim", "Jan", "Piet", "Gerrit", "Ton", "Joop", "Cor", "Hans",
    "Bert", "Frans", "Theo", "Rob", "Ad", "Mustafa", "Ahmed", "Jerzy", "Harry", "Dick",
)  # fmt: skip
PARENTS: tuple[str, ...] = (
    "Sanne", "Lisa", "Anouk", "Femke", "Laura", "Eva", "Iris", "Romy", "Kim", "Naima",
    "Fatima", "Samira", "Esra", "Merve", "Agnieszka", "Priya", "Daan", "Tim", "Mark", "Jeroen",
    "Kevin", "Mohamed", "Youssef", "Emre", "Tomasz", "Ravi", "Bas", "Niels", "Marloes", "Joyce",
)  # fmt: skip
SURNAMES: tuple[str, ...] = (
    "de Vries", "Jansen", "van der Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "de Graaf", "van der Meer", "van der Linden", "Kok",
    "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn",
    "Schouten", "van Beek", "Willems", "van Dijk", "Hoekstra", "Koster", "Verhoeven", "Prins",
    "Kuipers", "Huisman", "van Wijk", "Yilmaz", "Kaya", "Demir", "El Amrani", "Bouzid",
    "Benali", "Kowalski", "Nowak", "Ramdin", "Sewdien", "Tjon", "Nguyen", "Haddad", "Osei",
)  # fmt: skip
# Staff of the partners who log conversations (first name and initial only).
STAFF: tuple[str, ...] = (
    "Marieke D.", "Joost V.", "Ilse K.", "Hatice Y.", "Pieter B.", "Nicole S.", "Wouter H.",
    "Dewi R.", "Saskia M.", "Rachid A.", "Lotte P.", "Erik J.",
)  # fmt: skip
RELATIVES: tuple[str, ...] = ("dochter", "zoon", "buurvrouw", "buurman", "nicht", "neef")

PARTNERS_VOLUNTEERS: tuple[str, ...] = (
    "Stichting Present",
    "Zoetermeerse Vrijwilligerscentrale",
    "Humanitas",
    "Vitis Welzijn",
)
PARTNERS_FAMILIES: tuple[str, ...] = ("Kwadraad", "Piëzo", "Stichting Present", "Buurtgezinnen")
PARTNERS_ELDERS: tuple[str, ...] = (
    "Vitis Welzijn",
    "Rode Kruis Zoetermeer",
    "Humanitas",
    "De Zonnebloem Zoetermeer",
    "Stichting Present",
)

# Shared vocabularies, so that matching finds overlaps.
INTERESTS: tuple[str, ...] = (
    "wandelen", "koken", "voorlezen", "tuinieren", "knutselen", "muziek", "fietsen",
    "spelletjes", "natuur", "bakken", "sport", "dieren", "puzzelen", "zingen",
)  # fmt: skip
ELDER_INTERESTS: tuple[str, ...] = (
    "muziek", "zingen", "spelletjes", "koken", "bakken", "handwerken", "tuinieren",
    "wandelen", "natuur", "geschiedenis", "film", "lezen", "bingo", "dansen", "gesprekken",
)  # fmt: skip
CONTACT_KINDS: tuple[str, ...] = (
    "bezoek thuis",
    "uitjes",
    "samen spelen",
    "oppassen",
    "huiswerkhulp",
)
OTHER_LANGUAGES: tuple[str, ...] = ("Engels", "Turks", "Arabisch", "Pools")
DAY_SHORT: tuple[str, ...] = DAY_NAMES
DAY_LONG: tuple[str, ...] = (
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
)  # fmt: skip
FREQUENCIES: tuple[str, ...] = (
    "wekelijks", "wekelijks", "1x per week", "tweewekelijks", "tweewekelijks", "maandelijks",
)  # fmt: skip
AGE_RANGES: tuple[str, ...] = ("0-12", "0-12", "4-12", "4-12", "0-6", "2-10", "6-14", "0-4")
MOBILITY: tuple[str, ...] = ("zelfstandig",) * 11 + ("rollator",) * 6 + ("rolstoel",) * 3

# Venues (invented names) with a real Zoetermeer PC4 each.
VENUES: tuple[tuple[str, int], ...] = (
    ("Buurthuis De Kastanje", 2712),
    ("Ontmoetingscentrum Het Anker", 2716),
    ("Wijkcentrum De Vlinder", 2719),
    ("Bibliotheek Stadshart", 2711),
    ("Kinderboerderij De Weide", 2725),
    ("Zorgcentrum Lindehof", 2722),
    ("Buurtkamer De Zonnewijzer", 2727),
    ("Wijkpark De Singel", 2715),
    ("Kerkzaal De Ontmoeting", 2729),
    ("Dorpshuis Oud Dorp", 2723),
)

# Activities: (title, themes). Each programme has its own pool.
SUMMER_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("Zomerse high tea", "gesprekken, bakken"),
    ("Wandeling door het park", "wandelen, natuur"),
    ("Fietstocht op de duofiets", "natuur, wandelen"),
    ("Picknick in het park", "gesprekken, natuur"),
    ("Muziekmiddag in de tuin", "muziek, zingen"),
    ("Moestuinochtend", "tuinieren, natuur"),
    ("Zomerbingo", "bingo, spelletjes"),
    ("Koffieochtend met verhalen", "gesprekken, geschiedenis"),
    ("Bloemschikken", "handwerken, tuinieren"),
    ("Jeu de boules", "spelletjes, wandelen"),
    ("Zomerfilm met ijsje", "film"),
    ("Samen koken: zomersalades", "koken"),
    ("Dansmiddag", "dansen, muziek"),
)
CHRISTMAS_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("Kerststukjes maken", "handwerken"),
    ("Kerstdiner", "koken, gesprekken"),
    ("Kerstconcert met koor", "muziek, zingen"),
    ("Oliebollen bakken", "bakken, koken"),
    ("Kerstbingo", "bingo, spelletjes"),
    ("Kerstverhalen voorlezen", "lezen, gesprekken"),
    ("Lichtjesavond in het Stadshart", "wandelen"),
    ("Kaarsen maken", "handwerken"),
    ("Kerstkaarten schrijven", "gesprekken, handwerken"),
    ("Winterwandeling", "wandelen, natuur"),
    ("Kerstfilm", "film"),
    ("Kerstzingen", "zingen, muziek"),
)
OTHER_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("Koffieochtend", "gesprekken"),
    ("Spelletjesmiddag", "spelletjes"),
    ("Filmmiddag", "film"),
    ("Samen koken", "koken"),
    ("Geheugentraining", "spelletjes, gesprekken"),
    ("Stoelyoga", "dansen"),
    ("Handwerkcafé", "handwerken"),
    ("Museumbezoek", "geschiedenis"),
    ("Gespreksgroep 'Wat mij drijft'", "gesprekken"),
    ("Zangmiddag", "zingen, muziek"),
)

NOTES_VOLUNTEER: tuple[str, ...] = (
    "Oud-leerkracht basisschool.",
    "Eigen kleinkinderen wonen in het buitenland.",
    "Liefst afspraken in de ochtend.",
    "Heeft een auto, kan uitjes rijden.",
    "Zingt in een koor.",
)
NOTES_FAMILY: tuple[str, ...] = (
    "Opa's en oma's wonen ver weg.",
    "Alleenstaande ouder, zoekt vooral iemand voor de zaterdag.",
    "Kinderen houden van buiten spelen.",
    "Gezin is net verhuisd naar Zoetermeer.",
    "Oudste kind gaat naar groep 3.",
)
NOTES_ELDER: tuple[str, ...] = (
    "Houdt van gezelschap aan tafel.",
    "Liever afspraken in de ochtend.",
    "Bellen via de contactpersoon.",
    "Woont sinds kort alleen.",
    "Komt graag buiten, maar niet alleen.",
)
NOTES_CONVERSATION: dict[str, tuple[str, ...]] = {
    "intake": (
        "Intakegesprek gevoerd, wensen en beschikbaarheid genoteerd.",
        "Formulier samen ingevuld, uitleg over het programma gegeven.",
    ),
    "kennismaking": (
        "Eerste ontmoeting bij het gezin thuis, klikte goed.",
        "Kennismaking in de speeltuin; volgende afspraak gemaakt.",
    ),
    "evaluatie": (
        "Evaluatie: beide kanten tevreden, afspraken blijven zo.",
        "Evaluatie: frequentie aangepast, verder gaat het goed.",
    ),
    "zingeving": (
        "Gesprek over wat het leven nu de moeite waard maakt.",
        "Gesprek over vroeger en wat nu nog voldoening geeft.",
    ),
    "contact": (
        "Telefonisch contact, het gaat goed.",
        "Even langs geweest, weekenden voelen soms lang.",
        "Kort contact, geen bijzonderheden.",
    ),
    "afsluiting": (
        "Afsluitend gesprek, koppeling netjes afgerond.",
        "Afsluiting: iedereen bedankt voor de fijne tijd.",
    ),
}
END_REASONS: tuple[str, ...] = ("Gezin verhuisd", "Gezondheid grootouder", "Klikte niet")
