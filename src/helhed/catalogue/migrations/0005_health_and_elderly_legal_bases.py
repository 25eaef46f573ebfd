"""Legal bases for health and elderly care (Sundhed og Ældre): ældreloven § 10 (helhedspleje),
serviceloven § 83 (hjemmehjælp) and § 112 (hjælpemidler), sundhedsloven § 140 (genoptræning).

The same rows stand in legal_bases.json (a test keeps the two equal), so databases made after
the file gained them already have them from 0003; this adds a row only where its code is
missing, and leaves a row an administrator has edited (or expired) alone.
"""

import datetime as dt

from django.db import migrations

LEGAL_BASES = [{'code': 'aeldrel-10',
  'law': 'Ældreloven',
  'law_short': 'ÆL',
  'paragraph': '§ 10',
  'title': 'Helhedspleje: personlig og praktisk hjælp',
  'description': 'Tilbud om helhedspleje i form af et sammenhængende og rummeligt pleje- og '
                 'omsorgsforløb: personlig hjælp og pleje, hjælp eller støtte til nødvendige '
                 'praktiske opgaver i hjemmet og træning, til personer, der har nået '
                 'folkepensionsalderen og har behov for pleje og omsorg på grund af '
                 'aldersbetinget nedsat funktionsevne (§ 2). Loven (LOV nr. 1651 af '
                 "30/12/2024) trådte i kraft 1. juli 2025. Paragrafnummeret er KLE's (emne "
                 '27.34.10). Usikkert: hvordan indholdet fordeler sig på stykker i § 10 og på '
                 '§§ 11–15 er ikke efterprøvet mod lovteksten.',
  'url': 'https://www.retsinformation.dk/eli/accn/A20240165130#P10',
  'kle_numbers': '27.34.10',
  'valid_from': '2025-07-01',
  'deadlines': []},
 {'code': 'sel-83',
  'law': 'Lov om social service',
  'law_short': 'SEL',
  'paragraph': '§ 83',
  'title': 'Personlig hjælp, praktisk hjælp og madservice (hjemmehjælp)',
  'description': 'Personlig hjælp og pleje, hjælp eller støtte til nødvendige praktiske '
                 'opgaver i hjemmet og madservice til personer, der på grund af midlertidigt '
                 'eller varigt nedsat fysisk eller psykisk funktionsevne eller særlige sociale '
                 'problemer ikke selv kan udføre opgaverne (stk. 1–2). Forud vurderes, om et '
                 'rehabiliteringsforløb efter § 83 a kan nedsætte behovet (stk. 3). Usikkert: '
                 'i hvilket omfang § 83 fra 1. juli 2025 er afløst af ældreloven for personer, '
                 'der er omfattet af den (ældreloven § 2), er ikke efterprøvet mod følgelovens '
                 'tekst.',
  'url': 'https://www.retsinformation.dk/eli/accn/A20250015529#P83',
  'kle_numbers': '27.36.20 27.36.04',
  'valid_from': None,
  'deadlines': []},
 {'code': 'sel-112',
  'law': 'Lov om social service',
  'law_short': 'SEL',
  'paragraph': '§ 112',
  'title': 'Hjælpemidler',
  'description': 'Støtte til hjælpemidler til personer med varigt nedsat fysisk eller psykisk '
                 'funktionsevne, når hjælpemidlet i væsentlig grad kan afhjælpe de varige '
                 'følger af den nedsatte funktionsevne, i væsentlig grad kan lette den daglige '
                 'tilværelse i hjemmet eller er nødvendigt for, at personen kan udøve et '
                 'erhverv.',
  'url': 'https://www.retsinformation.dk/eli/accn/A20250015529#P112',
  'kle_numbers': '27.60.08 27.60.11',
  'valid_from': None,
  'deadlines': []},
 {'code': 'sul-140',
  'law': 'Sundhedsloven',
  'law_short': 'SUL',
  'paragraph': '§ 140',
  'title': 'Genoptræning efter udskrivning fra sygehus',
  'description': 'Kommunen tilbyder vederlagsfri genoptræning til personer, der efter '
                 'udskrivning fra sygehus har et lægefagligt begrundet behov for genoptræning; '
                 'sygehuset udarbejder en genoptræningsplan (§ 84). Usikkert: at klager over '
                 'kommunens afgørelse går til Styrelsen for Patientklager og ikke til '
                 'Ankestyrelsen, og om loven sætter en frist for at påbegynde genoptræningen, '
                 'er ikke efterprøvet mod lovteksten.',
  'url': 'https://www.retsinformation.dk/eli/accn/A20250027529#P140',
  'kle_numbers': '29.21.04',
  'valid_from': None,
  'deadlines': []}]


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def add_legal_bases(apps, schema_editor):
    LegalBasis = apps.get_model("catalogue", "LegalBasis")
    Deadline = apps.get_model("catalogue", "Deadline")
    present = set(LegalBasis.objects.filter(code__in=[r["code"] for r in LEGAL_BASES])
                  .values_list("code", flat=True))
    for row in LEGAL_BASES:
        if row["code"] in present:
            continue
        basis = LegalBasis.objects.create(
            code=row["code"], law=row["law"], law_short=row["law_short"],
            paragraph=row["paragraph"], title=row["title"], description=row["description"],
            url=row["url"], kle_numbers=row["kle_numbers"],
            valid_from=_date(row["valid_from"]), valid_to=_date(row.get("valid_to")))
        for d in row["deadlines"]:
            Deadline.objects.create(legal_basis=basis, kind=d["kind"], amount=d["amount"],
                                    unit=d["unit"], description=d["description"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_reply_to_notifier_deadline")]
    operations = [migrations.RunPython(add_legal_bases, migrations.RunPython.noop)]
