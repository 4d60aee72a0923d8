"""``manage.py seed_demo``: load the demo county (桐乡市) and one login per role."""
from __future__ import annotations

import importlib
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residency.demo import DEMO_STEPS
from residency.demo.directory import (
    DEMO_COUNTY_CODE,
    DemoContext,
    demo_county,
    demo_exists,
    demo_reset,
    login_table,
)
from residency.models import County


def load_step(path: str):
    """The step function at ``path``, or None when its module does not exist (yet)."""
    module_path, _dot, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        # Only a missing step module is skipped; a missing import inside it is a bug.
        if exc.name and (module_path == exc.name or module_path.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, name, None)


class Command(BaseCommand):
    help = (
        "载入演示数据:桐乡市(330483)12 个镇(街道)、174 个村(社区)、929 名住村干部、"
        "每村约 30 户农户,以及每个角色一个演示账号(演示密码在结束时打印)。"
        "同一 --seed 总是生成相同的数据。已有演示数据时拒绝执行,除非加 --reset;"
        "加 --if-empty 时数据库已有数据就什么也不做(供 make run 使用)。"
        " Loads the demo county, runs the steps in DEMO_STEPS in order."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2013,
                            help="随机种子(默认 2013);同一种子生成相同的姓名和驻村安排。")
        parser.add_argument("--reset", action="store_true",
                            help="先删除已有的演示数据(演示县、其中一切记录和演示账号;"
                                 "审计日志保留,其用户置空),再重新生成。")
        parser.add_argument("--if-empty", action="store_true",
                            help="数据库中已有任何县(市、区)或演示账号时,静默跳过并返回 0。")

    def handle(self, *args, seed: int, reset: bool, if_empty: bool, **options):
        if if_empty and (County.objects.exists() or demo_exists()):
            self.stdout.write(_("数据库已有数据,跳过演示数据。"))
            return
        if County.objects.filter(code=DEMO_COUNTY_CODE).exists() and demo_county() is None:
            raise CommandError(_("已有代码为 %(code)s 的县(市、区),但它不是演示数据:"
                                 "不能生成演示数据,也不会删除它。") % {"code": DEMO_COUNTY_CODE})
        if demo_exists() and not reset:
            raise CommandError(_("演示数据已存在。如需重新生成,请加 --reset(会删除现有演示数据)。"))

        started = time.monotonic()
        today = timezone.localdate()
        ctx = DemoContext(rng=random.Random(seed), today=today, stdout=self.stdout, seed=seed)
        with transaction.atomic():
            if reset:
                demo_reset(ctx=ctx)
            for path in DEMO_STEPS:
                step = load_step(path)
                if step is None:
                    ctx.note(_("跳过 %(step)s:该步骤尚未实现。") % {"step": path})
                    continue
                # Each step draws from its own generator, so one step's changes do not
                # reshuffle the data of the steps after it.
                ctx.rng = random.Random(f"{seed}:{path}")
                step_started = time.monotonic()
                step(ctx)
                ctx.note(_("  %(step)s 用时 %(seconds).1f 秒")
                         % {"step": path, "seconds": time.monotonic() - step_started})

        self.stdout.write(self.style.SUCCESS(
            _("演示数据已生成(种子 %(seed)d,用时 %(seconds).1f 秒)。演示账号:")
            % {"seed": seed, "seconds": time.monotonic() - started}))
        rows = [(_("角色"), _("用户名"), _("姓名"), _("密码")),
                *login_table(ctx.logins, ctx.password)]
        widths = [max(_width(r[i]) for r in rows) for i in range(4)]
        for row in rows:
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)))


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
