# Partial indexes for the target-group search (issue 4): open cases and active grants
# per citizen and department, small enough to be read without the table.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_information_request_deadline_kind'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('state', 'afsluttet'), _negated=True), fields=['citizen', 'department'], name='case_open_citizen_dept'),
        ),
        migrations.AddIndex(
            model_name='grant',
            index=models.Index(condition=models.Q(('state', 'aktiv')), fields=['citizen', 'department'], name='grant_active_citizen_dept'),
        ),
    ]
