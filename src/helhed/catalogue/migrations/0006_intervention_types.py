"""The intervention catalogue (indsatskatalog): provider types, intervention types with
their legal bases, unit, provider types, departments and prices.

The same rows stand in intervention_types.json (a test keeps the two equal). This adds a row
only where its code is missing, and leaves a row an administrator has edited alone; a legal
basis or provider type the administrator has deleted is left out, not recreated.
"""

import datetime as dt
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

PROVIDER_TYPES = [{'code': 'botilbud', 'name': 'Botilbud'},
 {'code': 'bostoette', 'name': 'Bostøtte'},
 {'code': 'dagtilbud', 'name': 'Dagtilbud'},
 {'code': 'familiebehandling', 'name': 'Familiebehandling'},
 {'code': 'hjemmepleje', 'name': 'Hjemmepleje'},
 {'code': 'misbrugsbehandling', 'name': 'Misbrugsbehandling'},
 {'code': 'opholdssted', 'name': 'Opholdssted'},
 {'code': 'plejefamilie', 'name': 'Plejefamilie'}]

INTERVENTION_TYPES = [{'code': 'sel-85-stoette',
  'name': 'Socialpædagogisk støtte',
  'description': 'Hjælp, omsorg eller støtte samt optræning og hjælp til udvikling af '
                 'færdigheder i eget hjem (bostøtte).',
  'ffb_concept': '1f0ff82b-3243-422f-9651-1d00fd2dcd61',
  'legal_bases': ['sel-85'],
  'unit': 'timer_uge',
  'provider_types': ['bostoette', 'botilbud'],
  'departments': ['voksensocial'],
  'active': True,
  'prices': []},
 {'code': 'sel-107-botilbud',
  'name': 'Midlertidigt botilbud',
  'description': 'Midlertidigt ophold i en boform for personer med betydelig nedsat '
                 'funktionsevne eller særlige sociale problemer.',
  'ffb_concept': '80aa8ea7-4ad8-405f-876a-4c0f89fde06a',
  'legal_bases': ['sel-107'],
  'unit': 'plads_doegn',
  'provider_types': ['botilbud'],
  'departments': ['voksensocial'],
  'active': True,
  'prices': []},
 {'code': 'sel-108-botilbud',
  'name': 'Længerevarende botilbud',
  'description': 'Ophold i en boform egnet til længerevarende ophold for personer med '
                 'betydeligt og varigt nedsat funktionsevne.',
  'ffb_concept': '5af56051-8413-4115-aaa2-83a0767e1137',
  'legal_bases': ['sel-108'],
  'unit': 'plads_doegn',
  'provider_types': ['botilbud'],
  'departments': ['voksensocial'],
  'active': True,
  'prices': []},
 {'code': 'beskyttet-beskaeftigelse',
  'name': 'Beskyttet beskæftigelse',
  'description': 'Beskyttet beskæftigelse i et dagtilbud. Usikkert: hjemlen (serviceloven § '
                 '103) står ikke i hjemmelskataloget endnu og er derfor ikke knyttet til.',
  'ffb_concept': 'd8505298-6ea5-4ca8-923d-6e4451cc9a48',
  'legal_bases': [],
  'unit': 'timer_uge',
  'provider_types': ['dagtilbud'],
  'departments': ['voksensocial'],
  'active': True,
  'prices': []},
 {'code': 'aktivitet-og-samvaer',
  'name': 'Aktivitets- og samværstilbud',
  'description': 'Aktivitet og samvær i et dagtilbud. Usikkert: hjemlen (serviceloven § 104) '
                 'står ikke i hjemmelskataloget endnu og er derfor ikke knyttet til.',
  'ffb_concept': 'a2256d86-1cf8-4da5-be49-1f49f4335ecb',
  'legal_bases': [],
  'unit': 'session',
  'provider_types': ['dagtilbud'],
  'departments': ['voksensocial'],
  'active': True,
  'prices': []},
 {'code': 'sel-101-stofmisbrug',
  'name': 'Social behandling for stofmisbrug',
  'description': 'Et behandlingsforløb for stofmisbrug for personer over 18 år.',
  'ffb_concept': '',
  'legal_bases': ['sel-101'],
  'unit': 'forloeb',
  'provider_types': ['misbrugsbehandling'],
  'departments': ['voksensocial'],
  'active': True,
  'prices': []},
 {'code': 'sel-83-hjemmehjaelp',
  'name': 'Hjemmehjælp',
  'description': 'Personlig hjælp og pleje og hjælp til praktiske opgaver i hjemmet.',
  'ffb_concept': '',
  'legal_bases': ['sel-83'],
  'unit': 'timer_uge',
  'provider_types': ['hjemmepleje'],
  'departments': ['sundhed'],
  'active': True,
  'prices': []},
 {'code': 'bl-32-stoette-i-hjemmet',
  'name': 'Støtte i hjemmet',
  'description': 'Praktisk, pædagogisk eller anden støtte i hjemmet til barnet, den unge og '
                 'familien, med samtykke. Usikkert: hvilket nummer i barnets lov § 32, stk. '
                 '1, støtten står under, er ikke efterprøvet mod lovteksten.',
  'ffb_concept': '',
  'legal_bases': ['bl-32'],
  'unit': 'timer_uge',
  'provider_types': ['familiebehandling'],
  'departments': ['boernesocial'],
  'active': True,
  'prices': []},
 {'code': 'bl-32-familiebehandling',
  'name': 'Familiebehandling',
  'description': 'Et forløb med familiebehandling eller behandling af barnets eller den unges '
                 'problemer, med samtykke. Usikkert: hvilket nummer i barnets lov § 32, stk. '
                 '1, forløbet står under, er ikke efterprøvet mod lovteksten.',
  'ffb_concept': '',
  'legal_bases': ['bl-32'],
  'unit': 'forloeb',
  'provider_types': ['familiebehandling'],
  'departments': ['boernesocial'],
  'active': True,
  'prices': []},
 {'code': 'anbringelse-plejefamilie',
  'name': 'Anbringelse i plejefamilie',
  'description': 'Anbringelse af et barn eller en ung i en plejefamilie, med eller uden '
                 'samtykke. Usikkert: paragraffen om anbringelsesstederne (barnets lov § 43) '
                 'står ikke i hjemmelskataloget; her er kun afgørelsens hjemmel knyttet til.',
  'ffb_concept': '',
  'legal_bases': ['bl-46', 'bl-47'],
  'unit': 'plads_doegn',
  'provider_types': ['plejefamilie'],
  'departments': ['boernesocial'],
  'active': True,
  'prices': []},
 {'code': 'anbringelse-opholdssted',
  'name': 'Anbringelse på opholdssted',
  'description': 'Anbringelse af et barn eller en ung på et opholdssted, med eller uden '
                 'samtykke. Usikkert: paragraffen om anbringelsesstederne (barnets lov § 43) '
                 'står ikke i hjemmelskataloget; her er kun afgørelsens hjemmel knyttet til.',
  'ffb_concept': '',
  'legal_bases': ['bl-46', 'bl-47'],
  'unit': 'plads_doegn',
  'provider_types': ['opholdssted'],
  'departments': ['boernesocial'],
  'active': True,
  'prices': []}]


def add_intervention_types(apps, schema_editor):
    ProviderType = apps.get_model("catalogue", "ProviderType")
    InterventionType = apps.get_model("catalogue", "InterventionType")
    InterventionPrice = apps.get_model("catalogue", "InterventionPrice")
    LegalBasis = apps.get_model("catalogue", "LegalBasis")
    present = set(ProviderType.objects.values_list("code", flat=True))
    ProviderType.objects.bulk_create(
        ProviderType(code=r["code"], name=r["name"]) for r in PROVIDER_TYPES
        if r["code"] not in present)
    providers = {p.code: p for p in ProviderType.objects.all()}
    bases = {b.code: b for b in LegalBasis.objects.all()}
    present = set(InterventionType.objects.values_list("code", flat=True))
    for row in INTERVENTION_TYPES:
        if row["code"] in present:
            continue
        kind = InterventionType.objects.create(
            code=row["code"], name=row["name"], description=row["description"],
            ffb_concept=row["ffb_concept"], unit=row["unit"],
            departments=" ".join(row["departments"]), active=row["active"])
        kind.legal_bases.set([bases[c] for c in row["legal_bases"] if c in bases])
        kind.provider_types.set([providers[c] for c in row["provider_types"] if c in providers])
        for price in row["prices"]:
            InterventionPrice.objects.create(
                intervention_type=kind, amount=Decimal(price["amount"]),
                valid_from=dt.date.fromisoformat(price["valid_from"]))


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0005_health_and_elderly_legal_bases'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProviderType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='kode')),
                ('name', models.CharField(max_length=120, verbose_name='navn')),
            ],
            options={
                'verbose_name': 'leverandørtype',
                'verbose_name_plural': 'leverandørtyper',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='InterventionType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(help_text='Fast nøgle, fx sel-85-stoette.', max_length=60, unique=True, verbose_name='kode')),
                ('name', models.CharField(max_length=200, verbose_name='navn')),
                ('description', models.TextField(blank=True, verbose_name='beskrivelse')),
                ('ffb_concept', models.CharField(blank=True, help_text='Koden for ydelsen i Fælles Faglige Begreber (VUM 2.0), hvis der er en.', max_length=36, verbose_name='FFB-begreb')),
                ('unit', models.CharField(choices=[('timer_uge', 'timer pr. uge'), ('plads_doegn', 'plads pr. døgn'), ('session', 'session'), ('forloeb', 'forløb')], max_length=12, verbose_name='enhed')),
                ('departments', models.CharField(blank=True, help_text='Koderne for de afdelinger, der bevilger indsatsen, adskilt af mellemrum, fx voksensocial.', max_length=200, verbose_name='afdelinger')),
                ('active', models.BooleanField(default=True, verbose_name='aktiv')),
                ('legal_bases', models.ManyToManyField(blank=True, related_name='intervention_types', to='catalogue.legalbasis', verbose_name='hjemler')),
                ('provider_types', models.ManyToManyField(blank=True, related_name='intervention_types', to='catalogue.providertype', verbose_name='leverandørtyper')),
            ],
            options={
                'verbose_name': 'indsatstype',
                'verbose_name_plural': 'indsatstyper',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='InterventionPrice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='pris i kr. pr. enhed')),
                ('valid_from', models.DateField(verbose_name='gyldig fra')),
                ('intervention_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prices', to='catalogue.interventiontype')),
            ],
            options={
                'verbose_name': 'pris',
                'verbose_name_plural': 'priser',
                'ordering': ['intervention_type', 'valid_from'],
                'constraints': [models.UniqueConstraint(fields=('intervention_type', 'valid_from'), name='intervention_price_uniq'), models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='intervention_price_not_negative')],
            },
        ),
        migrations.AddConstraint(
            model_name='interventiontype',
            constraint=models.CheckConstraint(condition=models.Q(('unit', ''), _negated=True), name='intervention_unit_required'),
        ),
        migrations.RunPython(add_intervention_types, migrations.RunPython.noop),
    ]
