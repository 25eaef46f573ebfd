# Change.action holds an event type, as long as OutboxEvent.type allows (100): a longer
# type passed on SQLite (no length check) and failed on PostgreSQL.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_target_search_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='change',
            name='action',
            field=models.CharField(max_length=100),
        ),
    ]
