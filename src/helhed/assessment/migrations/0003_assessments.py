"""Adult assessments (VUM 2.0) with functional levels on the Fælles Sprog III scale, and child
investigations (Barnets lov § 20) structured by the ICS triangle."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0002_information_request_deadline'),
        ('cases', '0005_target_search_indexes'),
        ('organisation', '0002_load_roles'),
        ('people', '0002_name_search_trigram_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='AdultAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('assessed_on', models.DateField(db_index=True, verbose_name='udredningsdato')),
                ('summary', models.TextField(blank=True, verbose_name='samlet vurdering')),
                ('created_at', models.DateTimeField(verbose_name='registreret')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adult_assessments', to='cases.case')),
                ('citizen', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.citizen')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.staffmember')),
            ],
            options={
                'verbose_name': 'voksenudredning',
                'verbose_name_plural': 'voksenudredninger',
                'ordering': ['-assessed_on', '-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ChildInvestigation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('started_on', models.DateField(verbose_name='påbegyndt')),
                ('state', models.CharField(choices=[('igang', 'I gang'), ('afsluttet', 'Afsluttet')], default='igang', max_length=10, verbose_name='tilstand')),
                ('conclusion', models.TextField(blank=True, verbose_name='konklusion')),
                ('concluded_at', models.DateTimeField(blank=True, null=True, verbose_name='afsluttet')),
                ('created_at', models.DateTimeField(verbose_name='oprettet')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='child_investigations', to='cases.case')),
                ('citizen', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.citizen')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.staffmember')),
                ('deadline', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='child_investigation', to='cases.casedeadline', verbose_name='frist på arbejdslisten')),
            ],
            options={
                'verbose_name': 'børnefaglig undersøgelse',
                'verbose_name_plural': 'børnefaglige undersøgelser',
                'ordering': ['-started_on', '-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ChildConversation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held', models.BooleanField(verbose_name='afholdt')),
                ('held_on', models.DateField(blank=True, null=True, verbose_name='dato')),
                ('summary', models.TextField(blank=True, verbose_name='resumé')),
                ('reason_not_held', models.TextField(blank=True, verbose_name='begrundelse for ikke at holde samtalen')),
                ('recorded_at', models.DateTimeField(verbose_name='registreret')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.staffmember')),
                ('investigation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='conversation', to='assessment.childinvestigation')),
            ],
            options={
                'verbose_name': 'samtale med barnet',
                'verbose_name_plural': 'samtaler med barnet',
            },
        ),
        migrations.CreateModel(
            name='FunctionalLevel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('theme', models.CharField(max_length=40, verbose_name='tema')),
                ('level', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='sagsbehandlerens vurdering')),
                ('citizen_level', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='borgerens egen vurdering')),
                ('text', models.TextField(blank=True, verbose_name='beskrivelse')),
                ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='levels', to='assessment.adultassessment')),
            ],
            options={
                'verbose_name': 'funktionsniveau',
                'verbose_name_plural': 'funktionsniveauer',
            },
        ),
        migrations.CreateModel(
            name='InvestigationNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('theme', models.CharField(max_length=60, verbose_name='tema')),
                ('text', models.TextField(verbose_name='beskrivelse')),
                ('written_at', models.DateTimeField(verbose_name='skrevet')),
                ('investigation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notes', to='assessment.childinvestigation')),
                ('written_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.staffmember')),
            ],
            options={
                'verbose_name': 'tema i undersøgelsen',
                'verbose_name_plural': 'temaer i undersøgelsen',
            },
        ),
        migrations.CreateModel(
            name='InvestigationRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('theme', models.CharField(max_length=60, verbose_name='tema')),
                ('investigation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='assessment.childinvestigation')),
                ('request', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='investigation_link', to='assessment.informationrequest')),
            ],
            options={
                'verbose_name': 'indhentning til undersøgelsen',
                'verbose_name_plural': 'indhentninger til undersøgelsen',
            },
        ),
        migrations.AddIndex(
            model_name='adultassessment',
            index=models.Index(fields=['citizen', 'assessed_on'], name='adultassess_citizen_date'),
        ),
        migrations.AddConstraint(
            model_name='childinvestigation',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'igang')), fields=('case',), name='child_investigation_one_open_per_case'),
        ),
        migrations.AddConstraint(
            model_name='childconversation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('held', True), ('held_on__isnull', False), models.Q(('summary', ''), _negated=True)), models.Q(('held', False), ('held_on__isnull', True), models.Q(('reason_not_held', ''), _negated=True)), _connector='OR'), name='child_conversation_held_or_why_not'),
        ),
        migrations.AddConstraint(
            model_name='functionallevel',
            constraint=models.UniqueConstraint(fields=('assessment', 'theme'), name='functional_level_one_per_theme'),
        ),
        migrations.AddConstraint(
            model_name='functionallevel',
            constraint=models.CheckConstraint(condition=models.Q(('level__isnull', True), ('level__in', (0, 1, 2, 3, 4, 9)), _connector='OR'), name='functional_level_scale'),
        ),
        migrations.AddConstraint(
            model_name='functionallevel',
            constraint=models.CheckConstraint(condition=models.Q(('citizen_level__isnull', True), ('citizen_level__in', (0, 1, 2, 3, 4, 9)), _connector='OR'), name='functional_level_citizen_scale'),
        ),
        migrations.AddConstraint(
            model_name='investigationnote',
            constraint=models.UniqueConstraint(fields=('investigation', 'theme'), name='investigation_note_one_per_theme'),
        ),
    ]
