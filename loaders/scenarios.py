"""Named scenarios, one per seed report, on real NBS divisions.

Each :class:`ScenarioSpec` says which real units a scenario covers, the
figures its report publishes (reproduced exactly, checked by queries on the
loaded graph through :attr:`ScenarioSpec.figures`), and what is synthesized
where the report is silent. Where the report and the real divisions disagree,
the real units are kept and ``notes`` says how the published count is met.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..errors import ScenarioError
from ..schema.model import CaseType, DepartmentKind

__all__ = ["SCENARIOS", "Figure", "ScenarioSpec", "get_scenario"]

D = DepartmentKind


@dataclass(frozen=True)
class Figure:
    """One published figure and the catalog query that counts it on the graph.

    The query is run once per area in ``areas`` with ``$area`` (and ``$since``,
    the start of the report year) and the ``n`` of the row whose ``key`` is
    ``key`` is summed over the areas.
    """

    what: str
    query: str
    expected: int
    areas: tuple[str, ...]
    key: str = "all"
    at_least: bool = False

    def holds(self, found: int) -> bool:
        return found >= self.expected if self.at_least else found == self.expected

    @property
    def published(self) -> str:
        return f"{self.expected:,}{'+' if self.at_least else ''}"


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    title: str
    source: str
    as_of: date
    county: str
    #: townships covered (prefix codes); empty = every township of the county
    townships: tuple[str, ...] = ()
    #: "three_level": township grid → village grids → sub-grids (the leaves);
    #: "flat": the leaves are village-level grids and there is nothing above them
    grid_layout: str = "flat"
    leaf_grids: int = 0
    households: int = 0
    households_published: bool = False
    people: int | None = None
    full_time_workers: int = 0
    part_time_workers: int = 0
    #: published totals pinned to some villages: code -> (leaf grids, full-time, part-time,
    #: grid party groups)
    pinned: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    party_members: int | None = None
    extra_branches: int = 0
    grid_groups: int | None = None
    linking_members: int = 0
    linked_households: int | None = None
    township_cadres: int = 0
    county_leaders: int = 0
    county_departments: tuple[DepartmentKind, ...] = (
        D.COURT,
        D.JUSTICE_OFFICE,
        D.PETITIONS_OFFICE,
        D.POLICE_STATION,
        D.CIVIL_AFFAIRS,
        D.HUMAN_RESOURCES,
        D.LAND_OFFICE,
        D.MARKET_REGULATION,
    )
    township_departments: tuple[DepartmentKind, ...] = (
        D.POLICE_STATION,
        D.JUSTICE_OFFICE,
        D.PETITIONS_OFFICE,
    )
    #: villages served by a neighbouring village's center instead of their own
    villages_without_center: tuple[str, ...] = ()
    cases: int = 0
    case_types: dict[CaseType, int] | None = None
    cases_resolved: int = 0
    cases_supervised: int = 0
    #: open cases carried over from before the report year (stuck, overdue)
    carried_over_cases: int = 3
    figures: tuple[Figure, ...] = ()
    notes: str = ""
    seed: int = 20231201

    @property
    def area(self) -> str:
        """The smallest unit that holds the whole scenario."""
        return self.townships[0] if len(self.townships) == 1 else self.county

    @property
    def year_start(self) -> date:
        """First day of the report year (figures count cases opened since then)."""
        return date(self.as_of.year - 1, self.as_of.month, self.as_of.day)


QINGPING = "621123109"
WUCHENG = "140225210"
ZHENYUAN = "621027"
YUQING = "520329"
HORQIN = "152221"
HORQIN_TOWN = "152221100"
HORQIN_COMMUNITIES = ("152221100001", "152221100002", "152221100003", "152221100004")


def _f(
    what: str,
    query: str,
    expected: int,
    area: str | tuple[str, ...],
    key: str = "all",
    at_least: bool = False,
) -> Figure:
    return Figure(what, query, expected, (area,) if isinstance(area, str) else area, key, at_least)


SCENARIOS: dict[str, ScenarioSpec] = {}


def _register(spec: ScenarioSpec) -> None:
    SCENARIOS[spec.name] = spec


_register(
    ScenarioSpec(
        name="qingping",
        title="庆坪镇 (Qingping town, Weiyuan county, Gansu)",
        source="000_049c2a6d0ebfb030.txt (2022-10)",
        as_of=date(2022, 10, 25),
        county="621123",
        townships=(QINGPING,),
        grid_layout="three_level",
        leaf_grids=85,
        households=3545,
        households_published=True,
        people=14784,
        full_time_workers=85,
        part_time_workers=0,
        party_members=644,
        extra_branches=4,
        grid_groups=42,
        linking_members=266,
        township_cadres=38,
        county_leaders=1,
        township_departments=(
            D.EMERGENCY_MANAGEMENT,
            D.JUSTICE_OFFICE,
            D.PETITIONS_OFFICE,
            D.CIVIL_AFFAIRS,
            D.SOCIAL_AFFAIRS,
            D.MARKET_REGULATION,
            D.LAW_ENFORCEMENT,
        ),
        cases=84,
        case_types={CaseType.NEIGHBOUR: 67, CaseType.MARRIAGE_FAMILY: 16, CaseType.DEBT: 1},
        cases_resolved=84,
        figures=(
            _f("administrative villages", "figure_villages", 14, QINGPING),
            _f("households", "figure_households", 3545, QINGPING),
            _f("people", "figure_people", 14784, QINGPING),
            _f(
                "grassroots party organizations (village + organ branches)",
                "figure_party_organizations",
                18,
                QINGPING,
                "branch",
            ),
            _f("party members", "figure_party_members", 644, QINGPING),
            _f("grid party groups", "figure_party_organizations", 42, QINGPING, "grid_group"),
            _f("household-linking party members", "figure_linking_members", 266, QINGPING),
            _f("disputes found in the year", "figure_cases", 84, QINGPING),
            _f(
                "disputes mediated in the year", "figure_cases_by_outcome", 84, QINGPING, "resolved"
            ),
            _f("neighbour disputes", "figure_cases_by_type", 67, QINGPING, "neighbour"),
            _f("marriage-family disputes", "figure_cases_by_type", 16, QINGPING, "marriage_family"),
            _f("debt disputes", "figure_cases_by_type", 1, QINGPING, "debt"),
            _f(
                "departments integrated at the town center",
                "figure_departments_by_tier",
                7,
                QINGPING,
                "township",
            ),
        ),
        notes=(
            "Published: 14 villages (the real extract has 14 village committees), households, "
            "people, party organizations, grid party groups, linking party members, disputes. "
            "Synthesized: 85 sub-grids (about 50 households each; the report publishes none), "
            "one full-time worker per sub-grid, 38 township cadres sunk into grids, the county "
            "center above the town. The 18 grassroots party organizations are the 14 village "
            "branches plus 4 branches of town organs. Open cases carried over from before the "
            "report year are not among the year's 84 disputes."
        ),
    )
)

_register(
    ScenarioSpec(
        name="wucheng",
        title="吴城乡 (Wucheng township, Hunyuan county, Shanxi)",
        source="002_d98a287210dbf693.txt (2022-09)",
        as_of=date(2022, 9, 20),
        county="140225",
        townships=(WUCHENG,),
        grid_layout="three_level",
        leaf_grids=35,
        households=3454,
        households_published=True,
        full_time_workers=35,
        part_time_workers=70,
        grid_groups=35,
        linking_members=70,
        township_cadres=24,
        county_leaders=1,
        cases=32,
        cases_resolved=32,
        figures=(
            _f("level-1 grids (township)", "figure_grids_by_level", 1, WUCHENG, "1"),
            _f("level-2 grids (villages)", "figure_grids_by_level", 10, WUCHENG, "2"),
            _f(
                "level-3 grids (party groups + grid workers)",
                "figure_grids_by_level",
                35,
                WUCHENG,
                "3",
            ),
            _f("grid heads (village committee cadres)", "figure_grid_heads", 10, WUCHENG),
            _f("grid workers", "figure_grid_workers", 105, WUCHENG, "all"),
            _f("households in the ledger", "figure_households", 3454, WUCHENG),
            _f(
                "disputes mediated (30+)",
                "figure_cases_by_outcome",
                30,
                WUCHENG,
                "resolved",
                at_least=True,
            ),
        ),
        notes=(
            "Published: grids by level, grid heads, grid workers, households, 30+ disputes "
            "mediated. The real extract has 10 village committees, one level-2 grid each. "
            "Synthesized: the split of the 105 workers (35 full-time, one per level-3 grid, and "
            "70 part-time), household sizes and people, 35 grid party groups (one per level-3 "
            "grid, as the report describes them), 32 disputes."
        ),
    )
)

_register(
    ScenarioSpec(
        name="zhenyuan",
        title="镇原县 (Zhenyuan county, Qingyang, Gansu)",
        source="001_aa970eb840fd9830.txt (2023-12)",
        as_of=date(2023, 12, 15),
        county=ZHENYUAN,
        grid_layout="flat",
        leaf_grids=481,
        households=42000,
        full_time_workers=481,
        part_time_workers=600,
        linking_members=1900,
        township_cadres=380,
        county_leaders=19,
        villages_without_center=("621027100004", "621027100400"),
        cases=2570,
        cases_resolved=2536,
        cases_supervised=52,
        figures=(
            _f("townships", "figure_townships", 19, ZHENYUAN),
            _f(
                "village-level units (real: 215 villages + 7 communities)",
                "figure_villages",
                222,
                ZHENYUAN,
            ),
            _f("governance centers, all tiers", "figure_centers_by_tier", 240, ZHENYUAN, "all"),
            _f("county center", "figure_centers_by_tier", 1, ZHENYUAN, "county"),
            _f("township centers", "figure_centers_by_tier", 19, ZHENYUAN, "township"),
            _f("village and community centers", "figure_centers_by_tier", 220, ZHENYUAN, "village"),
            _f("management grids", "figure_grids_by_level", 481, ZHENYUAN, "all"),
            _f("full-time grid workers", "figure_grid_workers", 481, ZHENYUAN, "full_time"),
            _f(
                "industry departments at the county center",
                "figure_departments_by_tier",
                8,
                ZHENYUAN,
                "county",
            ),
            _f("disputes screened", "figure_cases", 2570, ZHENYUAN),
            _f("disputes resolved", "figure_cases_by_outcome", 2536, ZHENYUAN, "resolved"),
            _f("early-warning supervisions", "figure_cases_supervised", 52, ZHENYUAN),
        ),
        notes=(
            "The report counts 215 villages + 5 communities and 240 centers (1 + 19 + 220). The "
            "real extract has 215 villages and 7 community committees: two communities of "
            "城关镇 (南街社区 621027100004 and 金龙工业集中区社区 621027100400) have no "
            "center of their own and are served by the center of 东街社区, so the "
            "published 240 centers hold on the real units. Synthesized: 42,000 "
            "households (about 87 per grid), one full-time worker per grid (published) and "
            "600 part-time ones, types of "
            "the 2,570 disputes, 380 township cadres, 19 county leaders."
        ),
    )
)

_register(
    ScenarioSpec(
        name="yuqing",
        title="余庆县 (Yuqing county, Zunyi, Guizhou)",
        source="003_bc09b6d2c558b82e.txt (2023-2024)",
        as_of=date(2024, 6, 30),
        county=YUQING,
        grid_layout="flat",
        leaf_grids=736,
        households=66000,
        full_time_workers=736,
        part_time_workers=900,
        linking_members=2900,
        township_cadres=333,
        county_leaders=33,
        county_departments=tuple(
            [
                D.COURT,
                D.JUSTICE_OFFICE,
                D.PETITIONS_OFFICE,
                D.POLICE_STATION,
                D.CIVIL_AFFAIRS,
                D.HUMAN_RESOURCES,
                D.LAND_OFFICE,
                D.MARKET_REGULATION,
                D.HOUSING,
                D.AGRICULTURE,
                D.EDUCATION,
                D.HEALTH,
                D.EMERGENCY_MANAGEMENT,
                D.LAW_ENFORCEMENT,
                D.WOMENS_FEDERATION,
            ]
            + [D.OTHER] * 75
        ),
        cases=640,
        cases_resolved=628,
        figures=(
            _f("towns covered", "figure_townships", 10, YUQING),
            _f("villages covered", "figure_villages", 71, YUQING),
            _f("grids covered", "figure_grids_by_level", 736, YUQING, "all"),
            _f("county leaders linking towns", "figure_county_leaders", 33, YUQING),
            _f(
                "county units covering towns, villages and grids",
                "figure_departments_by_tier",
                90,
                YUQING,
                "county",
            ),
            _f("cadres stationed in villages", "figure_sunk_cadres", 333, YUQING),
        ),
        notes=(
            "Published: 33 county leaders and 90 county units covering 10 towns, 71 villages "
            "and 736 grids; 333 cadres stationed in villages. The real extract has 10 "
            "township-level units (1 subdistrict, 8 towns, 1 township) and 71 village-level "
            "units. The 90 units are modelled as departments stationed at the county center; "
            "the 333 cadres as township cadres sunk into grids. Synthesized: households "
            "(about 90 per grid, one full-time worker each and 900 part-time), disputes. "
            "Xishui's flowing party members are another county, outside this scenario."
        ),
    )
)

_register(
    ScenarioSpec(
        name="horqin",
        title="科尔沁右翼前旗 (Horqin Right Front banner, Xing'an, Inner Mongolia)",
        source="004_d1eb9cf2a1aa840b.txt",
        as_of=date(2023, 6, 30),
        county=HORQIN,
        grid_layout="flat",
        leaf_grids=850,
        households=56000,
        full_time_workers=3534,
        part_time_workers=1272,
        pinned={
            HORQIN_COMMUNITIES[0]: (7, 62, 27, 2),
            HORQIN_COMMUNITIES[1]: (7, 62, 27, 2),
            HORQIN_COMMUNITIES[2]: (7, 62, 27, 2),
            HORQIN_COMMUNITIES[3]: (7, 61, 29, 1),
        },
        grid_groups=600,
        linking_members=5300,
        linked_households=50000,
        township_cadres=300,
        county_leaders=21,
        township_departments=(
            D.POLICE_STATION,
            D.JUSTICE_OFFICE,
            D.PETITIONS_OFFICE,
            D.LAND_OFFICE,
        ),
        cases=420,
        cases_resolved=410,
        figures=(
            _f(
                "Horqin town: community grids",
                "figure_grids_by_level",
                28,
                HORQIN_COMMUNITIES,
                "all",
            ),
            _f(
                "Horqin town: grid party branches (groups)",
                "figure_party_organizations",
                7,
                HORQIN_COMMUNITIES,
                "grid_group",
            ),
            _f(
                "Horqin town: community grid workers",
                "figure_grid_workers",
                357,
                HORQIN_COMMUNITIES,
                "all",
            ),
            _f("banner grids", "figure_grids_by_level", 850, HORQIN, "all"),
            _f("banner grid party groups", "figure_party_organizations", 600, HORQIN, "grid_group"),
            _f("full-time grid workers", "figure_grid_workers", 3534, HORQIN, "full_time"),
            _f("part-time grid workers", "figure_grid_workers", 1272, HORQIN, "part_time"),
            _f(
                "household-linking party members (5300+)",
                "figure_linking_members",
                5300,
                HORQIN,
                at_least=True,
            ),
            _f(
                "households they link (50,000+)",
                "figure_linked_households",
                50000,
                HORQIN,
                at_least=True,
            ),
        ),
        notes=(
            "Published for Horqin town: 4 communities → 28 grids → 7 grid party branches, 357 "
            "grid workers; banner-wide: 850 grids, 600 grid party groups, 3,534 full-time and "
            "1,272 part-time workers, 5,300+ linking party members for 50,000+ households. The "
            "town's 4 communities are its 4 residents' committees (codes 001–004); the real "
            "extract also lists 乌兰浩特社区 (code 401, a special-zone unit), whose grids count in "
            "the banner total only. Synthesized: 56,000 households, the full-/part-time split "
            "inside the town, township cadres, disputes. Volunteer teams and in-service party "
            "members reporting to communities are not modelled."
        ),
    )
)

_register(
    ScenarioSpec(
        name="qingyang",
        title="庆阳市 (Qingyang prefecture, Gansu) — scale scenario",
        source="synthetic, sized by --households",
        as_of=date(2023, 12, 15),
        county="6210",
        grid_layout="flat",
        leaf_grids=0,
        households=1_000_000,
        full_time_workers=0,
        part_time_workers=0,
        township_cadres=0,
        county_leaders=0,
        cases=0,
        cases_resolved=0,
        notes=(
            "Prefecture-wide on the real divisions of 庆阳市 (8 counties). Nothing is published; "
            "every figure follows from --households: one grid and one full-time worker per "
            "85 households, one part-time worker per grid, linking members per 25 households, "
            "about one dispute per 40 households a year."
        ),
    )
)


def get_scenario(
    name: str,
    *,
    households: int | None = None,
    seed: int | None = None,
) -> ScenarioSpec:
    """The named scenario, resized to ``households`` where its report leaves that open."""
    from dataclasses import replace

    try:
        spec = SCENARIOS[name]
    except KeyError:
        raise ScenarioError(
            f"unknown scenario {name!r}; choose one of {', '.join(SCENARIOS)}"
        ) from None
    if seed is not None:
        spec = replace(spec, seed=seed)
    if households is not None:
        if households < 100:
            raise ScenarioError(f"--households {households}: at least 100 are needed")
        if spec.households_published:
            raise ScenarioError(
                f"scenario {name!r} reproduces its report's {spec.households:,} "
                "households; --households applies to zhenyuan, yuqing, horqin "
                "and qingyang"
            )
        if spec.linked_households and households < spec.linked_households:
            raise ScenarioError(
                f"scenario {name!r} needs at least {spec.linked_households:,} "
                "households (its report's linked households)"
            )
        spec = replace(spec, households=households)
    if spec.name == "qingyang":
        from .divisions import load_divisions

        n = spec.households
        villages = len(load_divisions().descendants(spec.county, "village"))
        if n < 20 * villages:
            raise ScenarioError(
                f"scenario 'qingyang' spans {villages:,} real villages: "
                f"--households must be at least {20 * villages:,}"
            )
        grids = max(villages, n // 85)
        spec = replace(
            spec,
            leaf_grids=grids,
            full_time_workers=grids,
            part_time_workers=grids,
            linking_members=max(1, n // 25),
            township_cadres=max(1, n // 400),
            county_leaders=8,
            cases=max(10, n // 40),
            cases_resolved=max(10, n // 40) - max(1, n // 4000),
        )
    return spec
