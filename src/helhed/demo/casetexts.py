"""Danish texts for the demo's casework: journal entries, decisions, closings, notifications.

Small template lists, filled in with the citizen's first name (``{name}``); enough variety
that a search for a word finds some cases and not all of them. Synthetic: every person,
school and event here is made up.
"""

from __future__ import annotations

# (kind, title, text) per department; kinds are JournalEntry.Kind values.
JOURNAL: dict[str, tuple[tuple[str, str, str], ...]] = {
    "boernesocial": (
        ("samtale", "Børnesamtale med {name}",
         "Børnesamtale med {name} på skolen uden forældrene til stede. {name} fortalte om "
         "skolen, vennerne og om stemningen derhjemme og gav udtryk for at savne mere ro om "
         "aftenen."),
        ("moede", "Møde med forældrene",
         "Møde med forældrene om bekymringen for {name}. Forældrene anerkender, at familien "
         "har det svært for tiden, og vil gerne samarbejde om støtte."),
        ("telefon", "Telefonsamtale med skolen",
         "Klasselæreren oplyser, at {name}s fremmøde er blevet bedre, men at {name} fortsat "
         "har brug for ekstra voksenstøtte i frikvartererne."),
        ("moede", "Netværksmøde",
         "Netværksmøde med forældrene, skolen, sundhedsplejen og PPR om {name}. Der er "
         "enighed om at fortsætte den nuværende indsats og følge op om tre måneder."),
        ("notat", "Opfølgning på indsatsen",
         "Opfølgning efter barnets lov § 95. Familiebehandleren beskriver, at forældrene er "
         "blevet bedre til at skabe faste rammer for {name}. Indsatsen fortsætter uændret."),
        ("notat", "Status på den børnefaglige undersøgelse",
         "Den børnefaglige undersøgelse er i gang. Der er indhentet oplysninger fra skolen og "
         "egen læge, og børnesamtalen med {name} er gennemført."),
        ("telefon", "Telefonsamtale med mor",
         "Mor ringede og fortalte, at {name} har haft en god uge med færre konflikter. Vi "
         "aftalte et hjemmebesøg i næste uge."),
        ("samtale", "Hjemmebesøg",
         "Hjemmebesøg hos familien. {name} viste sit værelse frem og var glad og åben. "
         "Forældrene fortalte om de nye aftaler om sengetider og lektier."),
    ),
    "voksensocial": (
        ("samtale", "Samtale med {name}",
         "Samtale med {name} om støtten i hverdagen. {name} oplever, at bostøtten hjælper "
         "med at holde styr på post, økonomi og aftaler."),
        ("telefon", "Telefonsamtale med bostøtten",
         "Bostøttemedarbejderen oplyser, at {name} er mere stabil og selv har bestilt tid "
         "hos lægen."),
        ("moede", "Statusmøde med udføreren",
         "Statusmøde om målene i handleplanen. {name} deltog og er enig i, at målet om selv "
         "at handle ind er nået."),
        ("notat", "Handleplan opdateret",
         "Handleplanen efter servicelovens § 141 er opdateret med nye mål for {name}: faste "
         "rutiner i hverdagen og deltagelse i et aktivitetstilbud."),
        ("samtale", "Hjemmebesøg hos {name}",
         "Hjemmebesøg hos {name}. Lejligheden fremstod ryddelig, og {name} fortalte om en ny "
         "aftale med genboen om at gå ture sammen."),
    ),
    "jobcenter": (
        ("samtale", "Jobsamtale med {name}",
         "Jobsamtale med {name} om mål og ønsker. {name} ønsker at arbejde med lager og "
         "logistik og er motiveret for en virksomhedspraktik."),
        ("telefon", "Opfølgning med virksomheden",
         "Virksomheden oplyser, at {name} møder stabilt og har fået faste opgaver i "
         "praktikken."),
        ("notat", "Min Plan opdateret",
         "Min Plan er opdateret efter samtalen: {name} søger fire stillinger om ugen og "
         "starter på et kursus i truckkørsel."),
        ("moede", "Rundbordssamtale",
         "Rundbordssamtale med {name}, arbejdsgiveren og egen læge om en gradvis "
         "tilbagevenden til arbejdet med få timer om ugen."),
        ("telefon", "Sygefravær drøftet",
         "{name} ringede og meddelte fortsat sygdom. Lægeattest er indhentet, og næste "
         "opfølgningssamtale er aftalt."),
    ),
    "sundhed": (
        ("samtale", "Visitationsbesøg hos {name}",
         "Visitationsbesøg i hjemmet. {name} har svært ved at klare rengøring og indkøb "
         "efter en hofteoperation, men klarer selv den personlige pleje."),
        ("telefon", "Telefonsamtale med pårørende",
         "Datteren ringede og fortalte, at {name} er faldet to gange i sidste måned. Der "
         "aftales et besøg af en ergoterapeut."),
        ("notat", "Revisitation",
         "Revisitation efter indlæggelse på sygehuset. Hjælpen til personlig pleje øges "
         "midlertidigt, og der følges op om fire uger."),
        ("moede", "Møde med hjemmeplejen",
         "Møde med hjemmeplejens gruppeleder om {name}. Hjælpen fungerer, men {name} "
         "ønsker besøgene om formiddagen."),
    ),
    "misbrugscenter": (
        ("samtale", "Behandlingssamtale",
         "Behandlingssamtale med {name}. {name} fortæller om et stabilt forbrug og ønsker "
         "at trappe ned i løbet af de næste måneder."),
        ("notat", "Behandlingsplan",
         "Behandlingsplanen er lagt sammen med {name}: ugentlige samtaler, urinprøver og "
         "kontakt til egen læge om medicin."),
        ("telefon", "Udeblivelse",
         "{name} mødte ikke op til den aftalte samtale. Der er sendt en ny tid med SMS."),
    ),
    "socialpsykiatri": (
        ("samtale", "Samtale med {name}",
         "Samtale med {name} om hverdagen. {name} beskriver færre dårlige dage og bruger "
         "værestedet to gange om ugen."),
        ("telefon", "Telefonsamtale med distriktspsykiatrien",
         "Distriktspsykiatrien oplyser, at {name}s medicin er justeret, og at næste "
         "ambulante samtale er om seks uger."),
        ("moede", "Koordinerende møde",
         "Møde med distriktspsykiatrien og bostøtten om {name}s plan. Der er aftalt en fast "
         "ugentlig kontakt."),
    ),
}

DECISION_GRANTED = (
    "Du får bevilget {what} efter {law} {paragraph}. Vi har lagt vægt på oplysningerne i "
    "sagen, herunder samtalen med {name}, og vurderer, at støtten er nødvendig, for at "
    "{goal}."
)
DECISION_PARTLY = (
    "Du får delvist bevilget {what} efter {law} {paragraph}. Du har søgt om mere, end vi "
    "vurderer nødvendigt; den bevilgede støtte er efter vores vurdering tilstrækkelig, for "
    "at {goal}."
)
DECISION_REFUSED = (
    "Du får afslag på {what}. Vi vurderer ud fra oplysningerne i sagen, at betingelserne i "
    "{law} {paragraph} ikke er opfyldt. Vi har lagt vægt på, at {name} i dag klarer sig med "
    "den hjælp, der allerede er."
)

CLOSING_AFTER_DELIVERY = (
    "Levering afsluttet: ingen aktive bevillinger.",
    "Målene er nået, og indsatsen er afsluttet efter aftale med borgeren.",
    "Borgeren har ikke længere brug for støtte.",
)
CLOSING_WITHOUT_MEASURE = (
    "Undersøgelsen viste ikke behov for støtte.",
    "Borgeren ønskede ikke at gå videre med sagen.",
    "Sagen er afsluttet uden indsats efter samtale med borgeren.",
)
GRANT_ENDED = (
    "Indsatsen er afsluttet efter planen.",
    "Målet med indsatsen er nået.",
    "Borgeren ønskede ikke at fortsætte.",
)
FOLLOW_UP_TITLE = "Opfølgning på indsatsen"
FOLLOW_UP_CASE_TITLE = "Opfølgningssamtale"

# Notifications: concern texts per notifier kind (Notification.NotifierKind values).
CONCERNS: dict[str, tuple[str, ...]] = {
    "skole": (
        "{name} har haft stort fravær de seneste måneder og virker træt og indadvendt i "
        "timerne. {name} har fortalt en lærer, at der er meget uro derhjemme.",
        "{name} kommer ofte i skole uden madpakke og i tøj, der ikke passer til vejret.",
        "{name} har flere gange været i slåskamp og virker bange for at tage hjem.",
    ),
    "dagtilbud": (
        "{name} bliver ofte ikke hentet til lukketid, og personalet har oplevet forælderen "
        "påvirket ved afhentning.",
        "{name} er meget stille og trækker sig fra de andre børn; sproget er udviklet sent.",
    ),
    "sundhedspleje": (
        "Sundhedsplejersken er bekymret for {name}s trivsel og vægtudvikling og for mors "
        "psykiske tilstand efter fødslen.",
    ),
    "politi": (
        "Politiet blev tilkaldt til adressen på grund af husspektakel sent om aftenen. "
        "{name} var hjemme under episoden.",
        "{name} er antruffet af politiet i forbindelse med butikstyveri sammen med ældre "
        "unge.",
    ),
    "laege": (
        "Egen læge har set {name} med blå mærker, som forældrene ikke kan give en "
        "sammenhængende forklaring på.",
    ),
    "hospital": (
        "{name} har været indlagt efter at have drukket sig beruset. Afdelingen vurderer, at "
        "der er behov for opfølgning.",
    ),
    "ppr": (
        "PPR har under en udredning fået oplysninger, der giver bekymring for {name}s "
        "forhold i hjemmet.",
    ),
    "anden_kommune": (
        "Familien er flyttet hertil fra en anden kommune, hvor der var støtte til {name}. "
        "Sagens akter er vedlagt.",
    ),
    "anden_fagperson": (
        "Fritidsklubben er bekymret for {name}, som ofte er i klubben til lukketid og ikke "
        "vil hjem.",
    ),
    "borger": (
        "En nabo har flere gange hørt råb og gråd fra lejligheden sent om aftenen og har set "
        "{name} alene udenfor.",
    ),
    "anonym": (
        "Anonym henvendelse om, at {name} ofte er alene hjemme om aftenen og ikke får "
        "aftensmad.",
    ),
}
NOTIFIER_ORGANISATION = {
    "politi": "Politiet, Helhed Station",
    "sundhedspleje": "Sundhedsplejen, Helhed Kommune",
    "laege": "Lægehuset i Helhedby",
    "hospital": "Børneafdelingen, Regionshospitalet Demo",
    "ppr": "PPR, Helhed Kommune",
    "anden_kommune": "Nabo Kommune, Børn og Familie",
    "anden_fagperson": "Fritidsklubben Ørnen",
}
ASSESSED_NOT_IN_DANGER = (
    "Barnet vurderes ikke at være i akut fare. Underretningen screenes, og forældrene "
    "kontaktes.",
    "Ingen akut fare. Der indkaldes til møde med forældrene og barnet.",
    "Ingen akut fare. Underretningen indgår i den igangværende sag.",
)
ASSESSED_IN_DANGER = (
    "Barnet vurderes at være i fare. Der er samme dag talt med barnet og forældrene, og "
    "der er iværksat akut aflastning.",
)
SECOND_OPINION = (
    "Enig i vurderingen. Den igangværende indsats fortsætter, og underretningen indgår i "
    "næste opfølgning.",
    "Enig. Underretningen giver anledning til en ny børnefaglig undersøgelse.",
)
