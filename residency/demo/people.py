"""Generated people and places for the demo county (pure: a ``random.Random`` in, values out).

Names are drawn from surname and given-name syllable lists, never taken from the news
article: the real people it names are filtered out explicitly (DOMAIN.md, data protection).
ID-card numbers carry a correct GB 11643 check digit; phone numbers are unique per generator.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from residency.privacy.masking import id_card_check_digit

# The people named in the article (shared/seed): never generated, whatever the seed.
REAL_NAMES = frozenset({"施燕", "李明月", "姜发挥", "陈建松", "祁桂仙", "范忠伟", "孙研"})

# Common surnames, weighted towards those frequent in northern Zhejiang.
SURNAMES = (
    "沈沈沈徐徐徐张张张王王王陈陈李李朱朱钱钱陆陆吴吴周周姚姚顾顾金金俞俞蒋蒋许许费屠"
    "钮褚杨黄赵刘胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾肖田董袁潘蔡余杜叶程苏魏吕丁任"
    "卢崔钟谭汪石贾夏方邹孟秦邱江尹薛雷侯史陶贺毛郝龚邵万严戴莫孔汤孙范施"
)
MALE_SYLLABLES = (
    "建国华明伟强军平东海林峰刚勇杰涛斌超波辉鹏宇浩俊文武志忠良永根荣兴福德"
    "金水松柏春明晓立新卫红中正宏伟家庆祥云飞龙泉坤昌达胜利宝"
)
FEMALE_SYLLABLES = (
    "丽芳娟敏静燕红霞英萍秀玲琴梅兰凤月桂珍芬雅婷慧颖洁晶莉琳雪美玉佳欣悦彩"
    "萱菊莲娜倩颖婉蓉"
)

# Place-name syllables of the Jiangnan water country (浜, 兜, 埭, 泾 ...).
VILLAGE_FIRST = "东西南北新联永红民花桥金湖荡泾丰庆星光义和友桑梅桂杨石马龙凤高同安乐福宁茂众利兴百荣盛"
VILLAGE_SECOND = "丰星光新河桥浜兜港湾塘庄桑园田圩泾华联胜荣安益民旺隆和盛庆丽溪"
GROUP_ENDINGS = "兜浜埭桥湾圩坝港"

# (name, 街道?, number of villages): twelve townships, 3 街道 and 9 镇, 174 villages.
TOWNSHIPS: tuple[tuple[str, bool, int], ...] = (
    ("梧桐街道", True, 18),
    ("凤鸣街道", True, 14),
    ("龙翔街道", True, 12),
    ("濮院镇", False, 17),
    ("屠甸镇", False, 13),
    ("乌镇镇", False, 17),
    ("洲泉镇", False, 18),
    ("大麻镇", False, 9),
    ("河山镇", False, 12),
    ("石门镇", False, 14),
    ("崇福镇", False, 20),
    ("高桥镇", False, 10),
)

# Township leadership posts (职务) in rank order; everyone else is a 科员 or 办事员.
TOWN_POSTS = ("党委书记", "镇长", "党委副书记", "党委副书记", "人大主席", "纪委书记",
              "副镇长", "副镇长", "副镇长", "组织委员", "宣传委员", "武装部长", "党政办主任")
SUBDISTRICT_POSTS = ("党工委书记", "办事处主任", "党工委副书记", "党工委副书记", "人大工委主任",
                     "纪工委书记", "办事处副主任", "办事处副主任", "办事处副主任",
                     "组织委员", "宣传委员", "武装部长", "党政办主任")
STAFF_POSTS = ("科员", "科员", "科员", "科员", "办事员", "社会事务办副主任", "农业服务中心主任",
               "经济发展办科员", "综治办科员")

REGION = "330483"
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                   "151", "152", "157", "158", "159", "177", "180", "181", "183", "187",
                   "188", "189", "199")


@dataclass
class Person:
    name: str
    male: bool


@dataclass
class PeopleGenerator:
    """Names, ID cards and phones from one ``random.Random``; phones never repeat."""

    rng: random.Random
    _phones: set[str] = field(default_factory=set)
    _id_cards: set[str] = field(default_factory=set)

    def person(self, *, male: bool | None = None) -> Person:
        rng = self.rng
        if male is None:
            male = rng.random() < 0.55
        syllables = MALE_SYLLABLES if male else FEMALE_SYLLABLES
        while True:
            given = rng.choice(syllables)
            if rng.random() < 0.7:
                given += rng.choice(syllables)
            name = rng.choice(SURNAMES) + given
            if name not in REAL_NAMES:
                return Person(name=name, male=male)

    def unique_people(self, count: int, *, male_share: float = 0.6) -> list[Person]:
        """``count`` people with pairwise different names."""
        seen: set[str] = set()
        people: list[Person] = []
        while len(people) < count:
            person = self.person(male=self.rng.random() < male_share)
            if person.name not in seen:
                seen.add(person.name)
                people.append(person)
        return people

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def landline(self) -> str:
        while True:
            number = f"0573-8{self.rng.randrange(10**7):07d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def id_card(self, *, male: bool, born_from: date = date(1940, 1, 1),
                born_until: date = date(1998, 12, 31)) -> str:
        """A valid 18-digit resident ID of Tongxiang: region, birth date, sequence
        (odd for men, even for women), GB 11643 check digit."""
        span = (born_until - born_from).days
        while True:
            born = born_from + timedelta(days=self.rng.randrange(span + 1))
            sequence = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{REGION}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_card_check_digit(first17)
            if number not in self._id_cards:
                self._id_cards.add(number)
                return number


def village_names(rng: random.Random, count: int, *, taken: set[str]) -> list[str]:
    """``count`` two-syllable place names not in ``taken`` (which is updated)."""
    names: list[str] = []
    while len(names) < count:
        first = rng.choice(VILLAGE_FIRST)
        second = rng.choice(VILLAGE_SECOND)
        if first == second:
            continue
        name = first + second
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def group_names(rng: random.Random, count: int) -> list[str]:
    """Villager groups (村民小组) named after a family and a waterside (罗家兜组 style)."""
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(SURNAMES)}家{rng.choice(GROUP_ENDINGS)}组"
        if name not in names:
            names.append(name)
    return names


def cadre_counts(rng: random.Random, villages: int, total: int, *, low: int = 2,
                 high: int = 9) -> list[int]:
    """Spread ``total`` cadres over ``villages`` unevenly: every village between ``low``
    and ``high``, a few at exactly ``low``, ``low + 1`` and ``high``."""
    if not low * villages <= total <= high * villages:
        raise ValueError("total cannot be spread within the bounds")
    weights = {2: 6, 3: 10, 4: 16, 5: 20, 6: 20, 7: 14, 8: 8, 9: 6}
    values = [v for v in weights if low <= v <= high]
    counts = rng.choices(values, weights=[weights[v] for v in values], k=villages)
    pinned = rng.sample(range(villages), min(villages, 8))
    for index, value in zip(pinned, (low, low, low, low + 1, low + 1, high, high, high),
                            strict=False):
        counts[index] = value
    pinned_set = set(pinned)
    free = [i for i in range(villages) if i not in pinned_set]
    while (gap := total - sum(counts)) != 0:
        index = rng.choice(free)
        if gap > 0 and counts[index] < high:
            counts[index] += 1
        elif gap < 0 and counts[index] > low:
            counts[index] -= 1
    return counts
