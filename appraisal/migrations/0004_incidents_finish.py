# Incidents (issue 10), step 3 of 3: one incident per cadre-night in the database; the
# source record now lives on the signals; nights no longer reach the grade thresholds.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appraisal', '0003_candidates_to_incidents'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='violation',
            name='source_id',
        ),
        migrations.AlterField(
            model_name='violation',
            name='source',
            field=models.CharField(choices=[('night', '住夜缺勤'), ('manual', '人工登记'), ('week_below_minimum', '当周住夜不足(旧记录)')], max_length=20, verbose_name='来源'),
        ),
        migrations.AddConstraint(
            model_name='violation',
            constraint=models.UniqueConstraint(condition=models.Q(('merged_into__isnull', True), models.Q(('source', 'week_below_minimum'), _negated=True)), fields=('cadre', 'occurred_on'), name='violation_one_per_cadre_night'),
        ),
        migrations.RemoveField(
            model_name='appraisalrules',
            name='basic_min_nights_pct',
        ),
        migrations.RemoveField(
            model_name='appraisalrules',
            name='competent_min_nights_pct',
        ),
        migrations.RemoveField(
            model_name='appraisalrules',
            name='excellent_min_nights_pct',
        ),
    ]
