# Incidents (issue 10), step 1 of 3: the signals table and the merge pointer.
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('appraisal', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ViolationSignal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('missed_checkin', '住夜未签到'), ('spot_check_absent', '暗访不在岗'), ('far_checkin', '签到位置距村部过远')], max_length=20, verbose_name='线索类型')),
                ('source_id', models.PositiveBigIntegerField(verbose_name='来源记录')),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发现时间')),
                ('violation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signals', to='appraisal.violation', verbose_name='违规记录')),
            ],
            options={
                'verbose_name': '违规线索',
                'verbose_name_plural': '违规线索',
                'ordering': ['violation', 'kind', 'source_id'],
            },
        ),
        migrations.AddConstraint(
            model_name='violationsignal',
            constraint=models.UniqueConstraint(fields=('kind', 'source_id'), name='violation_signal_one_per_record'),
        ),
        migrations.AddField(
            model_name='violation',
            name='merged_into',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged', to='appraisal.violation', verbose_name='已并入'),
        ),
        migrations.RemoveConstraint(
            model_name='violation',
            name='violation_one_per_source_record',
        ),
        migrations.RemoveConstraint(
            model_name='violation',
            name='violation_record_source_has_id',
        ),
    ]
