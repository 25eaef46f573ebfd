"""The reply to a professional notifier (tilbagemelding, barnets lov § 137): the law requires
the reply but sets no time for it, so this is the municipality's own deadline, described as
such; an administrator changes it under Hjemler.

Databases made after legal_bases.json gained the row already have it from 0003; this adds it
only where it is missing, and leaves a row an administrator has edited alone.
"""

from django.db import migrations

REPLY = {
    "kind": "tilbagemelding",
    "amount": 20,
    "unit": "hverdage",
    "description": (
        "Kommunens egen frist, ikke lovens: tilbagemelding til en fagperson, der har "
        "underrettet, om hvorvidt der er iværksat en undersøgelse eller indsats, senest 20 "
        "hverdage efter modtagelsen. Loven pålægger tilbagemeldingen, men fastsætter ingen "
        "bestemt frist for den; kommunen kan ændre fristen her."),
}


def add_reply_deadline(apps, schema_editor):
    LegalBasis = apps.get_model("catalogue", "LegalBasis")
    Deadline = apps.get_model("catalogue", "Deadline")
    basis = LegalBasis.objects.filter(code="bl-137").first()
    if basis is None:
        return  # an administrator removed the paragraph; nothing to attach the deadline to
    if not Deadline.objects.filter(legal_basis=basis, kind=REPLY["kind"]).exists():
        Deadline.objects.create(legal_basis=basis, **REPLY)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_load_legal_bases_and_data_needs")]
    operations = [migrations.RunPython(add_reply_deadline, migrations.RunPython.noop)]
