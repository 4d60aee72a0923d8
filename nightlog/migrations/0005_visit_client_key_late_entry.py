"""Visit.client_key (one visit per key, made by the form in the browser), the 补记 mark and
the late-entry request. Existing visits get a fresh key each."""
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def give_keys(apps, schema_editor):
    Visit = apps.get_model("nightlog", "Visit")
    for pk in Visit.objects.filter(client_key__isnull=True).values_list("pk", flat=True).iterator():
        Visit.objects.filter(pk=pk).update(client_key=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ('nightlog', '0004_on_site_office'),
        ('residency', '0007_approval_request_base'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='visit',
            name='client_key',
            field=models.UUIDField(null=True, editable=False, verbose_name='提交标识'),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='visit',
            name='client_key',
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='提交标识'),
        ),
        migrations.AddField(
            model_name='visit',
            name='late_entry',
            field=models.BooleanField(default=False, verbose_name='补记'),
        ),
        migrations.AddField(
            model_name='visit',
            name='late_approved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='补记批准人'),
        ),
        migrations.CreateModel(
            name='LateVisitRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='事由')),
                ('status', models.CharField(choices=[('pending', '待审批'), ('approved', '已批准'), ('rejected', '已驳回'), ('cancelled', '已撤销')], db_index=True, default='pending', max_length=10, verbose_name='状态')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='申请时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审批时间')),
                ('decision_note', models.CharField(blank=True, max_length=200, verbose_name='审批意见')),
                ('visited_at', models.DateTimeField(verbose_name='走访时间')),
                ('client_key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='提交标识')),
                ('content', models.JSONField(default=dict, verbose_name='走访内容')),
                ('cadre', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='late_visit_requests', to='residency.cadre', verbose_name='干部')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审批人')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='nightlog.household', verbose_name='农户')),
                ('visit', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='late_request', to='nightlog.visit', verbose_name='补记的走访')),
            ],
            options={
                'verbose_name': '补记申请',
                'verbose_name_plural': '补记申请',
                'ordering': ['-requested_at', '-id'],
            },
        ),
    ]
