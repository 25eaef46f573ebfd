"""Word lists and figures for the demo municipality: names, streets, places, age pyramid.

Names are listed most common first; the generator weights them by rank. First names come
in three generations (born before 1960, 1960–1994, from 1995) so that grandmothers are
called Bodil and granddaughters Freja, as in the Danish name statistics.
"""

from __future__ import annotations

FEMALE_OLD = (
    "Kirsten", "Hanne", "Anne", "Inge", "Karen", "Lone", "Bente", "Jytte", "Birthe", "Ingrid",
    "Grethe", "Else", "Ruth", "Bodil", "Lis", "Gitte", "Aase", "Åse", "Edith", "Ellen", "Gudrun",
    "Solveig", "Tove", "Ulla", "Jonna", "Merete", "Birgit", "Dorthe", "Karin", "Vibeke", "Lene",
    "Ingeborg", "Sørine", "Dagmar", "Ester",
)
FEMALE_MIDDLE = (
    "Mette", "Helle", "Susanne", "Lene", "Maria", "Marianne", "Camilla", "Pia", "Louise",
    "Charlotte", "Tina", "Anja", "Heidi", "Rikke", "Christina", "Trine", "Katrine", "Sanne", "Line",
    "Maja", "Stine", "Dorte", "Malene", "Gitte", "Birgitte", "Anette", "Jeanette", "Signe", "Tanja",
    "Bettina", "Lærke", "Sidsel", "Mathilde", "Julie", "Maiken",
)
FEMALE_YOUNG = (
    "Emma", "Ida", "Freja", "Alma", "Clara", "Ella", "Karla", "Olivia", "Agnes", "Sofie", "Anna",
    "Laura", "Josefine", "Liva", "Nora", "Alberte", "Lærke", "Asta", "Frida", "Luna", "Mathilde",
    "Ellen", "Esther", "Lea", "Isabella", "Vigga", "Aya", "Ronja", "Marie", "Astrid", "Silje",
    "Bjørk", "Sigrid", "Saga", "Naja",
)
MALE_OLD = (
    "Jens", "Hans", "Niels", "Jørgen", "Poul", "Ole", "Erik", "Knud", "Bent", "Leif", "Svend",
    "Per", "Preben", "Kjeld", "Finn", "Carl", "Arne", "Børge", "Aage", "Åge", "Kurt", "Verner",
    "Flemming", "Torben", "Egon", "Henning", "Jørn", "Bjarne", "Palle", "Gunnar", "Holger", "Søren",
    "Bendt", "Mogens", "Orla",
)
MALE_MIDDLE = (
    "Peter", "Michael", "Lars", "Henrik", "Thomas", "Søren", "Jan", "Martin", "Anders", "Morten",
    "Jesper", "Christian", "Rasmus", "Brian", "Kenneth", "Kim", "Jacob", "Allan", "Nicolai", "Mads",
    "Claus", "Steen", "Bo", "Dennis", "Rune", "Jonas", "Kasper", "Simon", "Tobias", "Jørgen",
    "Mikkel", "Bjørn", "Kristian", "Troels", "Anders",
)
MALE_YOUNG = (
    "William", "Noah", "Oscar", "Lucas", "Carl", "Victor", "Malthe", "Alfred", "Oliver", "Emil",
    "Aksel", "Valdemar", "Magnus", "Frederik", "Elias", "August", "Anton", "Theo", "Arthur",
    "Johan", "Mikkel", "Storm", "Villads", "Bertram", "Konrad", "Asger", "Søren", "Ebbe", "Otto",
    "Hjalte", "Ludvig", "Sebastian", "Mathias", "Adam", "Bjørn",
)
# Citizens with roots elsewhere (about one in twelve): first names by sex, then surnames.
FEMALE_WORLD = (
    "Fatima", "Amina", "Zainab", "Aisha", "Maryam", "Sara", "Yasmin", "Layla", "Olga", "Anna",
    "Natalia", "Ewa",
)
MALE_WORLD = (
    "Mohammad", "Ali", "Omar", "Yusuf", "Ahmed", "Hassan", "Ibrahim", "Adam", "Piotr", "Tomasz",
    "Andrzej", "Karim",
)
LAST_WORLD = (
    "Hussein", "Ali", "Ahmed", "Mohammad", "Khan", "Yilmaz", "Demir", "Nowak", "Kowalski",
    "Wiśniewski", "Hassan", "Omar", "Abdi", "Nguyen", "Rahimi",
)

LAST_NAMES = (
    "Nielsen", "Jensen", "Hansen", "Andersen", "Pedersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Jacobsen",
    "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Holm",
    "Eriksen", "Kristiansen", "Nørgaard", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen",
    "Jeppesen", "Vestergaard", "Mogensen", "Nissen", "Lauridsen", "Kjær", "Dam", "Østergaard",
    "Bach", "Jessen", "Søndergaard", "Krogh", "Bøgh", "Dahl", "Mølgaard", "Ærø", "Aagaard",
    "Ågaard", "Lindberg", "Brandt", "Thygesen", "Bech", "Friis", "Winther", "Holst", "Juhl",
    "Kjeldsen", "Bruun", "Gregersen", "Bertelsen", "Storgaard", "Kofoed", "Bøje", "Ravn", "Skov",
    "Lyngsø", "Fog", "Højgaard", "Nyborg", "Bæk", "Fisker", "Damgaard", "Brøndum", "Hjorth",
    "Sloth", "Vinther", "Kirkegaard", "Åberg",
)
MIDDLE_NAMES = (
    "Marie", "Louise", "Sofie", "Emilie", "Kristine", "Juul", "Krog", "Bak", "Lund", "Skov", "Holm",
    "Dal", "Vang",
)

DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Midt")
# (postcode, city) per district. Postcodes 9991–9995 and 9999 are not in use in Denmark.
PLACES = {
    "Nord": (("9991", "Nørreby"), ("9999", "Helhedby")),
    "Syd": (("9992", "Sønderå"),),
    "Øst": (("9993", "Østerlund"),),
    "Vest": (("9994", "Vesterhøj"),),
    "Midt": (("9999", "Helhedby"), ("9995", "Mellemstrup")),
}
STREET_STEMS = (
    "Rosen", "Skov", "Mølle", "Kirke", "Bøge", "Ege", "Birke", "Lærke", "Ørne", "Æble", "Sø",
    "Strand", "Eng", "Mose", "Kær", "Præste", "Skole", "Stations", "Smede", "Fælled", "Kastanje",
    "Hassel", "Hylde", "Syren", "Tjørne", "Vibe", "Stære", "Svane", "Ravne", "Due", "Hjorte",
    "Ræve", "Lyng", "Bakke", "Dal", "Vang", "Toft", "Å", "Bøgelund", "Ahorn", "Hvede", "Rug",
    "Havre", "Kløver", "Valmue", "Kornblomst", "Blåbær", "Hindbær", "Brombær", "Humle", "Enebær",
    "Gran", "Fyrre", "Løvspring",
)
STREET_SUFFIXES = (
    "vej", "gade", "vænget", "parken", "stien", "allé", "højen", "toften", "haven", "løkken",
    "bakken", "engen",
)
STREET_PREFIXES = ("", "Nørre ", "Søndre ", "Lille ", "Store ", "Gamle ", "Nye ")
FLOORS = ("st", "1", "2", "3", "4")  # as in DAR: shown as "st." and "1."
DOORS = ("tv", "mf", "th")
CARE_HOME_STREETS = ("Solgårdsparken", "Åbrinken", "Ølundsvej")

SCHOOL_STEMS = (
    "Bøge", "Ege", "Kastanje", "Rosen", "Mølle", "Kirke", "Sø", "Å", "Lærke", "Vibe", "Hyld",
    "Birke", "Ny", "Gammel", "Skovly", "Engly", "Højvang", "Toftevang", "Strand", "Bakke",
    "Lindely", "Ørne", "Østervang", "Vestervang", "Nørrevang", "Søndervang", "Midtby", "Kløver",
    "Hassel", "Ahorn", "Valmue",
)
DAYCARE_NAMES = (
    "Mælkebøtten", "Regnbuen", "Solstrålen", "Myretuen", "Troldehøj", "Skovtrolden", "Bikuben",
    "Musehullet", "Spiretten", "Kernehuset", "Stjernen", "Guldsmeden", "Humlebien", "Mariehønen",
    "Pusterummet", "Ærtebælgen", "Søstjernen", "Åkanden", "Krudtuglen", "Græshoppen", "Egernreden",
    "Fuglereden", "Bølgen", "Vandkanten",
)

# Danish population by five-year age band, per cent (Statistics Denmark, FOLK1A, 2025,
# rounded): under 18 about 20 %, 65 and over about 21 %.
AGE_BANDS = (
    5.3, 5.5, 5.8, 6.0, 6.3, 6.9, 6.5, 6.1, 6.0, 6.3,
    7.0, 6.8, 6.2, 5.6, 5.3, 4.8, 3.0, 1.5, 0.6, 0.15,
)
MAX_AGE = len(AGE_BANDS) * 5 - 1
