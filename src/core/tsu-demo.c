/* tsu-demo.c: a deterministic demo city
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo city is 伊賀市 with invented people: the 39 住民自治協議会 with
 * their real names, households placed around the real census areas in
 * proportion to their real household counts (dense in 上野, sparse in the
 * hills), household types and flags in the proportions of the city's own
 * figures, and years of visits, more for the households that need more.
 *
 * Everything is written through the store's public write path inside one
 * transaction, so the operation log is complete (the demo city syncs like
 * real data) and a failed or cancelled run leaves nothing behind.
 *
 * Determinism: every random choice comes from one GRand seeded with the
 * seed, in a fixed order, and every record id is a name-based UUID of the
 * seed, the record type and its index. Same seed and same "today" give the
 * same records; only the operation log's clocks differ.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-demo.h"
#include "tsu-demo-private.h"
#include "tsu-district-areas.h"
#include "tsu-household-flags.h"
#include "tsu-reference-data.h"
#include "tsu-store-demo.h"

G_DEFINE_QUARK (tsu-demo-error-quark, tsu_demo_error)

typedef struct
{
  const char *kanji;
  const char *kana;
} Name;

/* Common family names of the region, most common first (weights fall off
 * with the rank). */
static const Name family_names[] = {
  { "山本", "ヤマモト" }, { "田中", "タナカ" }, { "中村", "ナカムラ" }, { "森", "モリ" },
  { "福森", "フクモリ" }, { "中森", "ナカモリ" }, { "伊藤", "イトウ" }, { "鈴木", "スズキ" },
  { "加藤", "カトウ" }, { "山口", "ヤマグチ" }, { "中川", "ナカガワ" }, { "吉田", "ヨシダ" },
  { "松本", "マツモト" }, { "西田", "ニシダ" }, { "北川", "キタガワ" }, { "前川", "マエカワ" },
  { "岡本", "オカモト" }, { "奥田", "オクダ" }, { "森本", "モリモト" }, { "福田", "フクダ" },
  { "中西", "ナカニシ" }, { "谷口", "タニグチ" }, { "山下", "ヤマシタ" }, { "松田", "マツダ" },
  { "藤田", "フジタ" }, { "井上", "イノウエ" }, { "小林", "コバヤシ" }, { "高橋", "タカハシ" },
  { "渡辺", "ワタナベ" }, { "山田", "ヤマダ" }, { "佐藤", "サトウ" }, { "木村", "キムラ" },
  { "林", "ハヤシ" }, { "清水", "シミズ" }, { "山崎", "ヤマザキ" }, { "池田", "イケダ" },
  { "橋本", "ハシモト" }, { "石田", "イシダ" }, { "前田", "マエダ" }, { "藤井", "フジイ" },
  { "岡田", "オカダ" }, { "長谷川", "ハセガワ" }, { "村田", "ムラタ" }, { "近藤", "コンドウ" },
  { "坂口", "サカグチ" }, { "上田", "ウエダ" }, { "北出", "キタデ" }, { "寺田", "テラダ" },
  { "辻", "ツジ" }, { "稲森", "イナモリ" }, { "森川", "モリカワ" }, { "中井", "ナカイ" },
  { "今井", "イマイ" }, { "堀", "ホリ" }, { "服部", "ハットリ" }, { "百地", "モモチ" },
  { "藤林", "フジバヤシ" }, { "岩田", "イワタ" }, { "山中", "ヤマナカ" }, { "松井", "マツイ" },
  { "大西", "オオニシ" }, { "西村", "ニシムラ" }, { "吉川", "ヨシカワ" }, { "宮崎", "ミヤザキ" },
  { "杉本", "スギモト" }, { "増田", "マスダ" }, { "東", "ヒガシ" }, { "南", "ミナミ" },
  { "川口", "カワグチ" }, { "野田", "ノダ" }, { "土井", "ドイ" }, { "小山", "コヤマ" },
  { "岸本", "キシモト" }, { "田村", "タムラ" }, { "竹内", "タケウチ" }, { "内田", "ウチダ" },
  { "菊山", "キクヤマ" }, { "福井", "フクイ" }, { "荒木", "アラキ" }, { "久保", "クボ" },
  { "大谷", "オオタニ" }, { "西川", "ニシカワ" }, { "中島", "ナカジマ" }, { "北村", "キタムラ" },
  { "中尾", "ナカオ" }, { "森田", "モリタ" }, { "浅野", "アサノ" }, { "瀬古", "セコ" },
  { "澤田", "サワダ" }, { "宮田", "ミヤタ" }, { "谷", "タニ" }, { "米田", "ヨネダ" },
  { "吉岡", "ヨシオカ" }, { "杉森", "スギモリ" }, { "川合", "カワイ" }, { "辻本", "ツジモト" },
  { "太田", "オオタ" }, { "岡", "オカ" }, { "平井", "ヒライ" }, { "横山", "ヨコヤマ" },
};

/* Given names by sex and generation: born before 1950, 1950–1979,
 * 1980–1999, 2000 and later. */
static const Name male_names[4][12] = {
  { { "清", "キヨシ" }, { "茂", "シゲル" }, { "勇", "イサム" }, { "博", "ヒロシ" },
    { "実", "ミノル" }, { "進", "ススム" }, { "正雄", "マサオ" }, { "武", "タケシ" },
    { "保", "タモツ" }, { "三郎", "サブロウ" }, { "勝", "マサル" }, { "義雄", "ヨシオ" } },
  { { "浩", "ヒロシ" }, { "誠", "マコト" }, { "修", "オサム" }, { "健一", "ケンイチ" },
    { "隆", "タカシ" }, { "剛", "ツヨシ" }, { "哲也", "テツヤ" }, { "和彦", "カズヒコ" },
    { "直樹", "ナオキ" }, { "秀樹", "ヒデキ" }, { "浩二", "コウジ" }, { "聡", "サトシ" } },
  { { "翔太", "ショウタ" }, { "拓也", "タクヤ" }, { "健太", "ケンタ" }, { "大輔", "ダイスケ" },
    { "翔", "ショウ" }, { "亮", "リョウ" }, { "大樹", "ダイキ" }, { "達也", "タツヤ" },
    { "和也", "カズヤ" }, { "直人", "ナオト" }, { "雄太", "ユウタ" }, { "隼人", "ハヤト" } },
  { { "蓮", "レン" }, { "悠真", "ユウマ" }, { "陽翔", "ハルト" }, { "湊", "ミナト" },
    { "大和", "ヤマト" }, { "颯太", "ソウタ" }, { "陸", "リク" }, { "悠人", "ユウト" },
    { "蒼", "アオイ" }, { "樹", "イツキ" }, { "大翔", "ヒロト" }, { "結翔", "ユイト" } },
};

static const Name female_names[4][12] = {
  { { "和子", "カズコ" }, { "幸子", "サチコ" }, { "節子", "セツコ" }, { "久子", "ヒサコ" },
    { "文子", "フミコ" }, { "美代子", "ミヨコ" }, { "千代子", "チヨコ" }, { "静子", "シズコ" },
    { "信子", "ノブコ" }, { "澄子", "スミコ" }, { "敏子", "トシコ" }, { "きよ", "キヨ" } },
  { { "恵子", "ケイコ" }, { "由美子", "ユミコ" }, { "裕子", "ユウコ" }, { "直美", "ナオミ" },
    { "真由美", "マユミ" }, { "明美", "アケミ" }, { "京子", "キョウコ" }, { "智子", "トモコ" },
    { "久美子", "クミコ" }, { "洋子", "ヨウコ" }, { "美穂", "ミホ" }, { "順子", "ジュンコ" } },
  { { "美咲", "ミサキ" }, { "愛", "アイ" }, { "彩", "アヤ" }, { "舞", "マイ" },
    { "麻衣", "マイ" }, { "沙織", "サオリ" }, { "千尋", "チヒロ" }, { "優子", "ユウコ" },
    { "恵", "メグミ" }, { "由佳", "ユカ" }, { "瞳", "ヒトミ" }, { "絵美", "エミ" } },
  { { "陽菜", "ヒナ" }, { "結衣", "ユイ" }, { "さくら", "サクラ" }, { "葵", "アオイ" },
    { "凛", "リン" }, { "芽依", "メイ" }, { "結菜", "ユイナ" }, { "美桜", "ミオ" },
    { "莉子", "リコ" }, { "心春", "コハル" }, { "紬", "ツムギ" }, { "花", "ハナ" } },
};

/* Foreign residents: families from the countries most represented in the
 * city, written as they are registered (katakana, or kanji with a reading). */
typedef struct
{
  Name family[4];
  Name male[4];
  Name female[4];
} ForeignGroup;

static const ForeignGroup foreign_groups[] = {
  { { { "シルバ", "シルバ" }, { "サントス", "サントス" }, { "オリベイラ", "オリベイラ" }, { "ソウザ", "ソウザ" } },
    { { "カルロス", "カルロス" }, { "マルコス", "マルコス" }, { "ルーカス", "ルーカス" }, { "パウロ", "パウロ" } },
    { { "マリア", "マリア" }, { "アナ", "アナ" }, { "ジュリアナ", "ジュリアナ" }, { "カミラ", "カミラ" } } },
  { { { "グエン", "グエン" }, { "チャン", "チャン" }, { "レ", "レ" }, { "ファム", "ファム" } },
    { { "ナム", "ナム" }, { "ミン", "ミン" }, { "トゥアン", "トゥアン" }, { "フン", "フン" } },
    { { "ラン", "ラン" }, { "ハー", "ハー" }, { "リン", "リン" }, { "トゥイ", "トゥイ" } } },
  { { { "レイエス", "レイエス" }, { "クルス", "クルス" }, { "ガルシア", "ガルシア" }, { "ロペス", "ロペス" } },
    { { "ホセ", "ホセ" }, { "マーク", "マーク" }, { "ジョン", "ジョン" }, { "ミゲル", "ミゲル" } },
    { { "マリセル", "マリセル" }, { "ジェニファー", "ジェニファー" }, { "ロサ", "ロサ" }, { "エマ", "エマ" } } },
  { { { "王", "ワン" }, { "李", "リ" }, { "張", "チャン" }, { "劉", "リュウ" } },
    { { "偉", "ウェイ" }, { "明", "ミン" }, { "強", "チャン" }, { "傑", "ジエ" } },
    { { "芳", "ファン" }, { "麗", "リー" }, { "静", "ジン" }, { "敏", "ミン" } } },
};

static const Name coordinator_names[] = {
  { "森本 里美", "モリモト サトミ" }, { "福田 健二", "フクダ ケンジ" },
  { "中西 由紀", "ナカニシ ユキ" }, { "岡田 真一", "オカダ シンイチ" },
  { "西村 加奈", "ニシムラ カナ" }, { "谷口 誠", "タニグチ マコト" },
  { "北川 早苗", "キタガワ サナエ" }, { "松井 大介", "マツイ ダイスケ" },
  { "稲森 明子", "イナモリ アキコ" }, { "前川 隆", "マエカワ タカシ" },
  { "宮田 智美", "ミヤタ トモミ" }, { "横山 浩之", "ヨコヤマ ヒロユキ" },
  { "杉森 綾", "スギモリ アヤ" },
};

/* The 13 coordinators work from the 社協's 6 地域センター; each has a
 * share of the districts of its former municipality. */
typedef struct
{
  const char *area;
  guint       first;   /* the centre's coordinators are first .. first + n - 1 */
  guint       n;
} CentreCoordinators;

static const CentreCoordinators centres[] = {
  { "上野", 0, 6 }, { "伊賀", 6, 2 }, { "島ヶ原", 8, 1 },
  { "阿山", 9, 1 }, { "大山田", 10, 1 }, { "青山", 11, 2 },
};

/* Local exchanges of the 0595 area by former municipality. */
static const struct { const char *area; const char *exchanges[4]; } phone_exchanges[] = {
  { "上野", { "21", "23", "24", "26" } },
  { "伊賀", { "45", "45", "46", "45" } },
  { "島ヶ原", { "59", "59", "59", "59" } },
  { "阿山", { "43", "43", "44", "44" } },
  { "大山田", { "46", "47", "47", "46" } },
  { "青山", { "52", "52", "53", "53" } },
};

/* Household types, with the share of households they make up, chosen so
 * that the city's figures come out: 18.5 % elderly living alone (7,508 of
 * 40,500), 32.8 % elderly only (13,284), 2.1 residents per household and an
 * ageing rate near 34 %. */
typedef enum
{
  TYPE_ELDERLY_ALONE,
  TYPE_ELDERLY_COUPLE,
  TYPE_SINGLE,
  TYPE_COUPLE,
  TYPE_FAMILY,
  TYPE_SINGLE_PARENT,
  TYPE_THREE_GENERATIONS,
  TYPE_ELDERLY_WITH_CHILD,
  TYPE_MIDDLE_WITH_CHILDREN,
  N_TYPES
} HouseholdType;

static const double type_share[N_TYPES] = {
  0.185, 0.143, 0.180, 0.080, 0.150, 0.0165, 0.070, 0.100, 0.0755,
};

typedef enum { REL_HEAD, REL_SPOUSE, REL_CHILD, REL_PARENT, REL_GRANDCHILD, REL_SIBLING, REL_OTHER } Relationship;

static const char * const relationship_codes[] = {
  "head", "spouse", "child", "parent", "grandchild", "sibling", "other",
};

typedef struct
{
  gboolean     male;
  int          age;
  Relationship relationship;
} Person;

#define MAX_PERSONS 8

typedef struct
{
  char     id[40];
  guint    flags;
  guint16  district;
  guint16  coordinator;
  guint8   status;          /* 0 active, 1 moved, 2 deceased */
  guint8   support_area;
  guint16  interval;
  guint    start_day;       /* julian day the household's history starts */
  guint    end_day;         /* julian day it ends (moved, deceased or today) */
} DemoHousehold;

typedef struct
{
  TsuStore             *store;
  GRand                *rand;
  guint32               seed;
  guint                 today;       /* julian day */
  guint                 years;
  TsuDemoProgressFunc   progress;
  gpointer              progress_data;
  GCancellable         *cancellable;
  guint64               written;
  guint64               expected;
  const char           *stage;

  char                 *district_ids[64];
  guint                 district_coordinator_first[64];
  guint                 district_coordinator_n[64];
  char                 *coordinator_ids[G_N_ELEMENTS (coordinator_names)];
  GPtrArray            *minsei[64];  /* 民生委員 names per district */
  char                 *agency_ids[32];

  double               *place_cumulative;
  double               *family_cumulative;

  DemoHousehold        *households;
  guint                 n_households;
  guint                 n_visits;
  guint                 n_residents;
  guint                 n_followups;
} Generator;

/* Support areas in the order of the category codes. */
enum { AREA_ELDERLY, AREA_DISABILITY, AREA_CHILDREN, AREA_POVERTY, AREA_OTHER };
static const char * const support_area_codes[] = {
  "elderly", "disability", "children", "poverty", "other",
};

void
tsu_demo_options_init (TsuDemoOptions *options,
                       TsuDemoSize     size)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  switch (size)
    {
    case TSU_DEMO_SIZE_SMALL:
      options->households = 300;
      break;
    case TSU_DEMO_SIZE_TENFOLD:
      options->households = 10 * TSU_DEMO_DEFAULT_HOUSEHOLDS;
      break;
    case TSU_DEMO_SIZE_IGA:
    default:
      options->households = TSU_DEMO_DEFAULT_HOUSEHOLDS;
      break;
    }
  options->seed = TSU_DEMO_DEFAULT_SEED;
  options->years = TSU_DEMO_DEFAULT_YEARS;
  g_date_clear (&options->today, 1);
}

gboolean
tsu_demo_size_from_string (const char  *text,
                           TsuDemoSize *size)
{
  static const struct { const char *name; TsuDemoSize size; } sizes[] = {
    { "small", TSU_DEMO_SIZE_SMALL },
    { "iga", TSU_DEMO_SIZE_IGA },
    { "tenfold", TSU_DEMO_SIZE_TENFOLD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    if (g_strcmp0 (text, sizes[i].name) == 0)
      {
        *size = sizes[i].size;
        return TRUE;
      }
  return FALSE;
}

/* The id of the index-th record of a table in the demo city of a seed: a
 * name-based UUID, so tests can find records without a query and ids do not
 * depend on how many random numbers came before. */
char *
tsu_demo_record_id (guint32     seed,
                    const char *table,
                    guint       index)
{
  g_autofree char *name = g_strdup_printf ("demo/%u/%s/%u", seed, table, index);

  return tsu_reference_data_make_id (name);
}

/* Random helpers: all draw from the generator's GRand, in call order. */

static double
uniform (Generator *gen)
{
  return g_rand_double (gen->rand);
}

static gboolean
chance (Generator *gen,
        double     p)
{
  return g_rand_double (gen->rand) < p;
}

static int
range (Generator *gen,
       int        lo,
       int        hi)   /* inclusive */
{
  return g_rand_int_range (gen->rand, lo, hi + 1);
}

static double
gaussian (Generator *gen)
{
  /* Box–Muller; 1 - u keeps the logarithm finite. */
  double u = 1.0 - g_rand_double (gen->rand);
  double v = g_rand_double (gen->rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static guint
poisson (Generator *gen,
         double     lambda)
{
  if (lambda <= 0)
    return 0;
  if (lambda > 30)
    {
      double x = lambda + sqrt (lambda) * gaussian (gen);
      return x < 0 ? 0 : (guint) lround (x);
    }
  else
    {
      double limit = exp (-lambda), p = 1.0;
      guint k = 0;

      do
        {
          k++;
          p *= g_rand_double (gen->rand);
        }
      while (p > limit);
      return k - 1;
    }
}

static guint
pick_cumulative (Generator    *gen,
                 const double *cumulative,
                 guint         n)
{
  double x = uniform (gen) * cumulative[n - 1];
  guint lo = 0, hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] > x)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

static const char *
pick_str (Generator          *gen,
          const char * const *items,
          guint               n)
{
  return items[range (gen, 0, (int) n - 1)];
}

#define PICK(gen, array) pick_str ((gen), (array), G_N_ELEMENTS (array))

static char *
format_date (guint julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date),
                          g_date_get_month (&date), g_date_get_day (&date));
}

/* A working day: visits are not made at weekends. A weekend day moves to
 * any day of the week before or after it, so that no weekday gets more than
 * its share. */
static guint
working_day (Generator *gen,
             guint      julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  switch (g_date_get_weekday (&date))
    {
    case G_DATE_SATURDAY:
      return julian - range (gen, 1, 5);
    case G_DATE_SUNDAY:
      return julian + range (gen, 1, 5);
    default:
      return julian;
    }
}

static gboolean
report (Generator  *gen,
        GError    **error)
{
  gen->written++;
  if ((gen->written & 1023) != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (gen->cancellable, error))
    return FALSE;
  if (gen->progress != NULL)
    gen->progress (MIN (1.0, (double) gen->written / MAX (1, gen->expected)),
                   gen->stage, gen->progress_data);
  return TRUE;
}

static gboolean
write_record (Generator   *gen,
              const char  *table,
              const char  *id,
              JsonObject  *fields,
              GError     **error)
{
  if (!tsu_store_create_with_id (gen->store, table, id, fields, error))
    return FALSE;
  return report (gen, error);
}

/* Districts and coordinators ------------------------------------------- */

/* The council areas have no published polygons: the demo draws each
 * district as the places nearer to its towns than to any other's, within
 * DISTRICT_REACH_M of one, marked approximate (the map dashes them). */
#define DISTRICT_CELL_M  200
#define DISTRICT_REACH_M 2000

static GPtrArray *
approximate_district_areas (void)
{
  g_autofree TsuDistrictPoint *points = g_new (TsuDistrictPoint, tsu_demo_n_places);

  for (guint p = 0; p < tsu_demo_n_places; p++)
    points[p] = (TsuDistrictPoint) { tsu_demo_places[p].lat, tsu_demo_places[p].lon,
                                     tsu_demo_places[p].district };
  return tsu_district_areas_from_points (points, tsu_demo_n_places, tsu_demo_n_districts,
                                         DISTRICT_CELL_M, DISTRICT_REACH_M);
}

static gboolean
write_districts (Generator  *gen,
                 GError    **error)
{
  g_autoptr(GPtrArray) areas = approximate_district_areas ();

  g_assert (tsu_demo_n_districts <= G_N_ELEMENTS (gen->district_ids));

  for (guint i = 0; i < tsu_demo_n_districts; i++)
    {
      const TsuDemoDistrict *d = &tsu_demo_districts[i];
      g_autofree char *name = g_strdup_printf ("district/%s", d->name);
      g_autoptr(JsonObject) fields = json_object_new ();

      /* Districts are the same on every replica, whatever the seed. */
      gen->district_ids[i] = tsu_reference_data_make_id (name);

      json_object_set_string_member (fields, "name", d->name);
      json_object_set_string_member (fields, "kana", d->kana);
      json_object_set_string_member (fields, "full_name", d->full_name);
      json_object_set_string_member (fields, "area", d->area);
      json_object_set_double_member (fields, "lat", d->lat);
      json_object_set_double_member (fields, "lon", d->lon);
      json_object_set_boolean_member (fields, "unconfirmed", d->unconfirmed);
      json_object_set_int_member (fields, "sort_order", (i + 1) * 10);
      if (g_ptr_array_index (areas, i) != NULL)
        {
          g_autofree char *boundary = tsu_shape_to_geojson (g_ptr_array_index (areas, i));

          json_object_set_string_member (fields, "boundary", boundary);
          json_object_set_boolean_member (fields, "boundary_approximate", TRUE);
        }
      if (!write_record (gen, "district", gen->district_ids[i], fields, error))
        return FALSE;
    }
  return TRUE;
}

static const CentreCoordinators *
centre_for_area (const char *area)
{
  for (guint i = 0; i < G_N_ELEMENTS (centres); i++)
    if (g_str_equal (centres[i].area, area))
      return &centres[i];
  g_assert_not_reached ();
  return &centres[0];
}

static gboolean
write_coordinators (Generator  *gen,
                    GError    **error)
{
  GString *districts[G_N_ELEMENTS (coordinator_names)];
  guint seen[G_N_ELEMENTS (centres)] = { 0 };

  for (guint c = 0; c < G_N_ELEMENTS (coordinator_names); c++)
    {
      districts[c] = g_string_new (NULL);
      gen->coordinator_ids[c] = tsu_demo_record_id (gen->seed, "coordinator", c);
    }

  /* Districts of a centre are dealt out in turn to its coordinators. */
  for (guint i = 0; i < tsu_demo_n_districts; i++)
    {
      const CentreCoordinators *centre = centre_for_area (tsu_demo_districts[i].area);
      guint c = centre->first + seen[centre - centres]++ % centre->n;

      gen->district_coordinator_first[i] = c;
      gen->district_coordinator_n[i] = centre->n;
      if (districts[c]->len > 0)
        g_string_append_c (districts[c], ',');
      g_string_append (districts[c], gen->district_ids[i]);
    }

  for (guint c = 0; c < G_N_ELEMENTS (coordinator_names); c++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      gboolean ok;

      json_object_set_string_member (fields, "name", coordinator_names[c].kanji);
      json_object_set_string_member (fields, "kana", coordinator_names[c].kana);
      json_object_set_string_member (fields, "districts", districts[c]->str);
      ok = write_record (gen, "coordinator", gen->coordinator_ids[c], fields, error);
      g_string_free (districts[c], TRUE);
      districts[c] = NULL;
      if (!ok)
        {
          for (guint rest = c + 1; rest < G_N_ELEMENTS (coordinator_names); rest++)
            g_string_free (districts[rest], TRUE);
          return FALSE;
        }
    }
  return TRUE;
}

/* Names --------------------------------------------------------------- */

static const Name *
pick_family (Generator *gen)
{
  return &family_names[pick_cumulative (gen, gen->family_cumulative, G_N_ELEMENTS (family_names))];
}

static int
generation (int birth_year)
{
  if (birth_year < 1950)
    return 0;
  if (birth_year < 1980)
    return 1;
  if (birth_year < 2000)
    return 2;
  return 3;
}

static const Name *
pick_given (Generator *gen,
            gboolean   male,
            int        birth_year)
{
  int g = generation (birth_year);

  return male ? &male_names[g][range (gen, 0, 11)] : &female_names[g][range (gen, 0, 11)];
}

/* Households ---------------------------------------------------------- */

static HouseholdType
pick_type (Generator *gen)
{
  double x = uniform (gen), sum = 0;

  for (guint t = 0; t < N_TYPES; t++)
    {
      sum += type_share[t];
      if (x < sum)
        return (HouseholdType) t;
    }
  return TYPE_SINGLE;
}

static int
elderly_age (Generator *gen)
{
  /* 65 to 99, most in their 70s and 80s. */
  int age = 78 + (int) lround (7.5 * gaussian (gen));

  return CLAMP (age, 65, 99);
}

static guint
make_persons (Generator     *gen,
              HouseholdType  type,
              Person        *p)
{
  guint n = 0;
  int head_age;

#define ADD(m, a, r) G_STMT_START { p[n].male = (m); p[n].age = (a); p[n].relationship = (r); n++; } G_STMT_END

  switch (type)
    {
    case TYPE_ELDERLY_ALONE:
      ADD (chance (gen, 0.3), elderly_age (gen), REL_HEAD);
      break;
    case TYPE_ELDERLY_COUPLE:
      head_age = elderly_age (gen);
      ADD (TRUE, head_age, REL_HEAD);
      ADD (FALSE, CLAMP (head_age - range (gen, 0, 5), 65, 99), REL_SPOUSE);
      break;
    case TYPE_SINGLE:
      ADD (chance (gen, 0.55), range (gen, 19, 64), REL_HEAD);
      break;
    case TYPE_COUPLE:
      head_age = range (gen, 24, 64);
      ADD (TRUE, head_age, REL_HEAD);
      ADD (FALSE, CLAMP (head_age - range (gen, -2, 5), 20, 64), REL_SPOUSE);
      break;
    case TYPE_FAMILY:
      {
        guint kids = chance (gen, 0.45) ? 1 : chance (gen, 0.8) ? 2 : 3;

        head_age = range (gen, 27, 54);
        ADD (!chance (gen, 0.08), head_age, REL_HEAD);
        ADD (!p[0].male, CLAMP (head_age - range (gen, -2, 5), 22, 60), REL_SPOUSE);
        for (guint k = 0; k < kids; k++)
          ADD (chance (gen, 0.51), CLAMP (head_age - range (gen, 24, 38), 0, 22), REL_CHILD);
        break;
      }
    case TYPE_SINGLE_PARENT:
      {
        guint kids = chance (gen, 0.55) ? 1 : 2;

        head_age = range (gen, 24, 52);
        ADD (chance (gen, 0.12), head_age, REL_HEAD);
        for (guint k = 0; k < kids; k++)
          ADD (chance (gen, 0.5), CLAMP (head_age - range (gen, 20, 36), 0, 17), REL_CHILD);
        break;
      }
    case TYPE_THREE_GENERATIONS:
      {
        guint kids = chance (gen, 0.3) ? 0 : chance (gen, 0.6) ? 1 : 2;

        head_age = range (gen, 35, 60);
        ADD (TRUE, head_age, REL_HEAD);
        ADD (FALSE, CLAMP (head_age - range (gen, -2, 5), 30, 64), REL_SPOUSE);
        ADD (chance (gen, 0.3), CLAMP (head_age + range (gen, 24, 34), 65, 99), REL_PARENT);
        if (chance (gen, 0.6))
          ADD (!p[2].male, CLAMP (p[2].age + range (gen, -4, 3), 65, 99), REL_PARENT);
        for (guint k = 0; k < kids; k++)
          ADD (chance (gen, 0.5), CLAMP (head_age - range (gen, 25, 38), 0, 30), REL_CHILD);
        break;
      }
    case TYPE_ELDERLY_WITH_CHILD:
      head_age = elderly_age (gen);
      ADD (chance (gen, 0.5), head_age, REL_HEAD);
      if (chance (gen, 0.5))
        ADD (!p[0].male, CLAMP (head_age - range (gen, -3, 5), 65, 99), REL_SPOUSE);
      ADD (chance (gen, 0.6), CLAMP (head_age - range (gen, 24, 36), 25, 64), REL_CHILD);
      break;
    case TYPE_MIDDLE_WITH_CHILDREN:
      {
        guint kids = chance (gen, 0.6) ? 1 : 2;

        head_age = range (gen, 48, 64);
        ADD (TRUE, head_age, REL_HEAD);
        if (chance (gen, 0.8))
          ADD (FALSE, CLAMP (head_age - range (gen, -2, 5), 40, 64), REL_SPOUSE);
        for (guint k = 0; k < kids; k++)
          ADD (chance (gen, 0.5), CLAMP (head_age - range (gen, 24, 34), 18, 40), REL_CHILD);
        break;
      }
    case N_TYPES:
    default:
      g_assert_not_reached ();
    }
#undef ADD

  return n;
}

/* The flags follow from who lives there, plus the needs that do not show in
 * the composition, each in about the city's proportion. */
static guint
make_flags (Generator     *gen,
            HouseholdType  type,
            const Person  *p,
            guint          n,
            gboolean       foreign)
{
  guint flags = 0;
  int oldest = 0, youngest = 200;
  gboolean adult_child = FALSE;

  for (guint i = 0; i < n; i++)
    {
      oldest = MAX (oldest, p[i].age);
      youngest = MIN (youngest, p[i].age);
      if (p[i].relationship == REL_CHILD && p[i].age >= 20)
        adult_child = TRUE;
    }

  if (type == TYPE_ELDERLY_ALONE)
    flags |= TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE;
  if (type == TYPE_ELDERLY_COUPLE)
    flags |= TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE;
  if (youngest < 18)
    flags |= TSU_HOUSEHOLD_FLAG_CHILDREARING;
  if (type == TYPE_SINGLE_PARENT)
    flags |= TSU_HOUSEHOLD_FLAG_SINGLE_PARENT;

  if (oldest >= 85 ? chance (gen, 0.5) : oldest >= 75 ? chance (gen, 0.27) : oldest >= 65 ? chance (gen, 0.04) : FALSE)
    flags |= TSU_HOUSEHOLD_FLAG_CARE_NEED;
  if (chance (gen, 0.055))
    flags |= TSU_HOUSEHOLD_FLAG_DISABILITY;

  if (type == TYPE_ELDERLY_WITH_CHILD && oldest >= 78 && adult_child)
    {
      for (guint i = 0; i < n; i++)
        if (p[i].relationship == REL_CHILD && p[i].age >= 45 && chance (gen, 0.15))
          {
            flags |= TSU_HOUSEHOLD_FLAG_8050;
            if (chance (gen, 0.55))
              flags |= TSU_HOUSEHOLD_FLAG_HIKIKOMORI;
          }
    }
  if ((type == TYPE_ELDERLY_WITH_CHILD && chance (gen, 0.05)) ||
      (type == TYPE_MIDDLE_WITH_CHILDREN && chance (gen, 0.04)) ||
      (type == TYPE_SINGLE && chance (gen, 0.012)))
    flags |= TSU_HOUSEHOLD_FLAG_HIKIKOMORI;

  if (chance (gen, type == TYPE_SINGLE_PARENT ? 0.22 :
                   type == TYPE_SINGLE || type == TYPE_ELDERLY_ALONE ? 0.03 :
                   (flags & TSU_HOUSEHOLD_FLAG_HIKIKOMORI) ? 0.2 : 0.012))
    flags |= TSU_HOUSEHOLD_FLAG_POVERTY;
  if (chance (gen, (flags & TSU_HOUSEHOLD_FLAG_POVERTY) ? 0.3 : 0.01))
    flags |= TSU_HOUSEHOLD_FLAG_HOUSING;
  if (foreign && chance (gen, 0.7))
    flags |= TSU_HOUSEHOLD_FLAG_FOREIGN_LANGUAGE;

  return flags;
}

/* Visits a year a household gets, before scaling to the target total. */
static double
visit_rate (guint flags)
{
  static const struct { guint flag; double rate; } rates[] = {
    { TSU_HOUSEHOLD_FLAG_8050, 6.0 },
    { TSU_HOUSEHOLD_FLAG_HIKIKOMORI, 6.0 },
    { TSU_HOUSEHOLD_FLAG_POVERTY, 5.0 },
    { TSU_HOUSEHOLD_FLAG_HOUSING, 3.5 },
    { TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE, 2.5 },
    { TSU_HOUSEHOLD_FLAG_SINGLE_PARENT, 2.5 },
    { TSU_HOUSEHOLD_FLAG_CARE_NEED, 2.0 },
    { TSU_HOUSEHOLD_FLAG_DISABILITY, 2.0 },
    { TSU_HOUSEHOLD_FLAG_FOREIGN_LANGUAGE, 1.5 },
    { TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE, 1.2 },
    { TSU_HOUSEHOLD_FLAG_CHILDREARING, 0.4 },
  };
  double best = 0, sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    if (flags & rates[i].flag)
      {
        best = MAX (best, rates[i].rate);
        sum += rates[i].rate;
      }
  if (best == 0)
    return 0.1;
  return best + 0.3 * (sum - best);
}

static guint
visit_interval (guint flags)
{
  if (flags & (TSU_HOUSEHOLD_FLAG_8050 | TSU_HOUSEHOLD_FLAG_HIKIKOMORI | TSU_HOUSEHOLD_FLAG_POVERTY | TSU_HOUSEHOLD_FLAG_HOUSING))
    return 30;
  if (flags & (TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE | TSU_HOUSEHOLD_FLAG_CARE_NEED | TSU_HOUSEHOLD_FLAG_SINGLE_PARENT))
    return 60;
  if (flags & (TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE | TSU_HOUSEHOLD_FLAG_DISABILITY | TSU_HOUSEHOLD_FLAG_FOREIGN_LANGUAGE))
    return 90;
  if (flags & TSU_HOUSEHOLD_FLAG_CHILDREARING)
    return 180;
  return 0;
}

static guint8
support_area_for (guint flags)
{
  if (flags & (TSU_HOUSEHOLD_FLAG_POVERTY | TSU_HOUSEHOLD_FLAG_HOUSING | TSU_HOUSEHOLD_FLAG_8050 | TSU_HOUSEHOLD_FLAG_HIKIKOMORI))
    return AREA_POVERTY;
  if (flags & TSU_HOUSEHOLD_FLAG_DISABILITY)
    return AREA_DISABILITY;
  if (flags & (TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE | TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE | TSU_HOUSEHOLD_FLAG_CARE_NEED))
    return AREA_ELDERLY;
  if (flags & (TSU_HOUSEHOLD_FLAG_CHILDREARING | TSU_HOUSEHOLD_FLAG_SINGLE_PARENT))
    return AREA_CHILDREN;
  return AREA_OTHER;
}

static const char *
area_phone_exchange (Generator  *gen,
                     const char *area)
{
  for (guint i = 0; i < G_N_ELEMENTS (phone_exchanges); i++)
    if (g_str_equal (phone_exchanges[i].area, area))
      return phone_exchanges[i].exchanges[range (gen, 0, 3)];
  return "21";
}

static char *
make_phone (Generator  *gen,
            const char *area)
{
  double x = uniform (gen);

  if (x < 0.05)
    return NULL;
  if (x < 0.32)
    return g_strdup_printf ("0%d0-%04d-%04d", chance (gen, 0.6) ? 9 : 8,
                            range (gen, 1000, 9999), range (gen, 0, 9999));
  return g_strdup_printf ("0595-%s-%04d", area_phone_exchange (gen, area), range (gen, 0, 9999));
}

static char *
make_address (Generator    *gen,
              const char   *town)
{
  if (strstr (town, "丁目") != NULL)
    return g_strdup_printf ("伊賀市%s%d-%d", town, range (gen, 1, 30), range (gen, 1, 25));
  if (g_str_has_prefix (town, "上野") || strstr (town, "町") != NULL)
    return g_strdup_printf ("伊賀市%s%d", town, range (gen, 1, 3200));
  if (chance (gen, 0.2))
    return g_strdup_printf ("伊賀市%s%d-%d", town, range (gen, 1, 4500), range (gen, 1, 9));
  return g_strdup_printf ("伊賀市%s%d", town, range (gen, 1, 4500));
}

static const char * const household_notes[] = {
  "犬を飼っている（玄関先注意）。",
  "午前中は通院のことが多い。",
  "耳が遠いので大きめの声で。",
  "日中は娘さんが来ていることが多い。",
  "裏口から声をかけると応答がある。",
  "自治会の見守り隊が週1回声かけ。",
  "配食サービス利用中（月・水・金）。",
  "冬場は長男宅に滞在することがある。",
  "日本語は簡単な会話なら可。通訳は市の国際交流担当に依頼。",
  "訪問は夕方以降を希望。",
};

static const char * const consent_scopes[] = {
  "訪問・記録",
  "訪問・記録・関係機関との情報共有",
  "訪問・記録・関係機関との情報共有",
  "記録のみ（訪問は電話連絡の上で）",
};

static void
jitter (Generator          *gen,
        const TsuDemoPlace *place,
        double             *lat,
        double             *lon)
{
  double sigma = place->radius / 2.0;
  double dy = CLAMP (sigma * gaussian (gen), -1.5 * place->radius, 1.5 * place->radius);
  double dx = CLAMP (sigma * gaussian (gen), -1.5 * place->radius, 1.5 * place->radius);

  *lat = place->lat + dy / 111320.0;
  *lon = place->lon + dx / (111320.0 * cos (place->lat * G_PI / 180.0));
  /* Rounded so the text form is short and the same everywhere. */
  *lat = round (*lat * 1e6) / 1e6;
  *lon = round (*lon * 1e6) / 1e6;
}

static char *
make_person_name (const Name *family,
                  const Name *given,
                  gboolean    kana)
{
  return g_strdup_printf ("%s %s", kana ? family->kana : family->kanji, kana ? given->kana : given->kanji);
}

static gboolean
write_residents (Generator      *gen,
                 DemoHousehold  *hh,
                 const Person   *persons,
                 guint           n,
                 gboolean        foreign,
                 GError        **error)
{
  GDate today;
  const Name *family;
  guint group = 0;

  g_date_clear (&today, 1);
  g_date_set_julian (&today, gen->today);

  if (foreign)
    {
      group = range (gen, 0, G_N_ELEMENTS (foreign_groups) - 1);
      family = &foreign_groups[group].family[range (gen, 0, 3)];
    }
  else
    family = pick_family (gen);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *id = tsu_demo_record_id (gen->seed, "resident", gen->n_residents);
      g_autofree char *name = NULL;
      g_autofree char *kana = NULL;
      g_autofree char *birth = NULL;
      const Name *given;
      const Name *person_family = family;
      int year = g_date_get_year (&today) - persons[i].age - 1;
      GDate date;

      /* A birthday somewhere in the year that gives the age today. */
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1, 1, year);
      g_date_add_days (&date, g_date_get_day_of_year (&today) + range (gen, 0, 364));
      if (g_date_get_julian (&date) > gen->today)
        g_date_set_julian (&date, gen->today);
      year = g_date_get_year (&date);

      if (foreign)
        given = persons[i].male ? &foreign_groups[group].male[range (gen, 0, 3)]
                                : &foreign_groups[group].female[range (gen, 0, 3)];
      else
        given = pick_given (gen, persons[i].male, year);
      /* A head's parent in a three-generation household is usually the
       * husband's; now and then the wife's, with her maiden name. */
      if (persons[i].relationship == REL_PARENT && !foreign && chance (gen, 0.2))
        person_family = pick_family (gen);

      name = make_person_name (person_family, given, FALSE);
      kana = make_person_name (person_family, given, TRUE);
      birth = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date),
                               g_date_get_month (&date), g_date_get_day (&date));

      json_object_set_string_member (fields, "household_id", hh->id);
      json_object_set_string_member (fields, "name", name);
      json_object_set_string_member (fields, "kana", kana);
      json_object_set_string_member (fields, "birth_date", birth);
      json_object_set_string_member (fields, "relationship", relationship_codes[persons[i].relationship]);
      json_object_set_int_member (fields, "position", i);
      if (!write_record (gen, "resident", id, fields, error))
        return FALSE;
      gen->n_residents++;
    }
  return TRUE;
}

static char *
make_minsei_name (Generator *gen)
{
  const Name *family = pick_family (gen);
  const Name *given = pick_given (gen, chance (gen, 0.4), range (gen, 1945, 1965));

  return make_person_name (family, given, FALSE);
}

static gboolean
write_households (Generator             *gen,
                  const TsuDemoOptions  *options,
                  GError               **error)
{
  gen->stage = "households";

  /* Each district has about one 民生委員 per 110 households of 2015. */
  for (guint d = 0; d < tsu_demo_n_districts; d++)
    {
      guint weight = 0, n;

      for (guint p = 0; p < tsu_demo_n_places; p++)
        if (tsu_demo_places[p].district == d)
          weight += tsu_demo_places[p].households;
      n = MAX (2, weight / 110);
      gen->minsei[d] = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (gen->minsei[d], make_minsei_name (gen));
    }

  gen->households = g_new0 (DemoHousehold, gen->n_households);

  for (guint i = 0; i < gen->n_households; i++)
    {
      DemoHousehold *hh = &gen->households[i];
      guint p = pick_cumulative (gen, gen->place_cumulative, tsu_demo_n_places);
      const TsuDemoPlace *place = &tsu_demo_places[p];
      const TsuDemoDistrict *district = &tsu_demo_districts[place->district];
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *address = NULL;
      g_autofree char *phone = NULL;
      g_autofree char *jichikai = NULL;
      g_autofree char *id = tsu_demo_record_id (gen->seed, "household", i);
      Person persons[MAX_PERSONS];
      HouseholdType type = pick_type (gen);
      guint n_persons = make_persons (gen, type, persons);
      gboolean foreign = (type == TYPE_SINGLE || type == TYPE_COUPLE ||
                          type == TYPE_FAMILY || type == TYPE_SINGLE_PARENT) && chance (gen, 0.06);
      double lat, lon;
      gboolean exact = chance (gen, 0.92);
      double consent_x;
      const char *consent;
      guint n_blocks;

      g_strlcpy (hh->id, id, sizeof hh->id);
      hh->flags = make_flags (gen, type, persons, n_persons, foreign);
      hh->district = place->district;
      hh->coordinator = gen->district_coordinator_first[place->district];
      if (gen->district_coordinator_n[place->district] > 1 && chance (gen, 0.15))
        {
          /* Now and then a colleague from the same centre has the case. */
          const CentreCoordinators *centre = centre_for_area (district->area);
          hh->coordinator = centre->first + range (gen, 0, centre->n - 1);
        }
      hh->interval = visit_interval (hh->flags);
      hh->support_area = support_area_for (hh->flags);
      /* Households come under watch over the years; 40 % were already
       * known when the records start. */
      hh->start_day = gen->today - gen->years * 365;
      if (!chance (gen, 0.4))
        hh->start_day += range (gen, 0, gen->years * 365 - 30);
      hh->end_day = gen->today;
      if (chance (gen, (hh->flags & (TSU_HOUSEHOLD_FLAG_ELDERLY_ALONE | TSU_HOUSEHOLD_FLAG_ELDERLY_COUPLE)) ? 0.03 : 0.004))
        hh->status = 2;
      else if (chance (gen, 0.012))
        hh->status = 1;
      if (hh->status != 0)
        {
          hh->end_day = hh->start_day + range (gen, 0, gen->today - hh->start_day);
          hh->interval = 0;
        }

      if (exact)
        jitter (gen, place, &lat, &lon);
      else
        {
          lat = place->lat;
          lon = place->lon;
        }
      address = make_address (gen, place->town);
      phone = make_phone (gen, district->area);
      n_blocks = MAX (1, place->households / 300);
      if (n_blocks > 1)
        jichikai = g_strdup_printf ("%s第%d自治会", place->town, range (gen, 1, n_blocks));
      else
        jichikai = g_strdup_printf ("%s自治会", place->town);

      json_object_set_string_member (fields, "district_id", gen->district_ids[place->district]);
      json_object_set_string_member (fields, "jichikai", jichikai);
      json_object_set_string_member (fields, "address", address);
      json_object_set_double_member (fields, "lat", lat);
      json_object_set_double_member (fields, "lon", lon);
      json_object_set_string_member (fields, "location_quality", exact ? "exact" : "approximate");
      if (phone != NULL)
        json_object_set_string_member (fields, "phone", phone);
      json_object_set_int_member (fields, "flags", hh->flags);

      consent_x = uniform (gen);
      if (hh->flags != 0)
        consent = consent_x < 0.7 ? "yes" : consent_x < 0.92 ? "unknown" : "no";
      else
        consent = consent_x < 0.25 ? "yes" : consent_x < 0.95 ? "unknown" : "no";
      json_object_set_string_member (fields, "consent", consent);
      if (!g_str_equal (consent, "unknown"))
        {
          g_autofree char *date = format_date (hh->start_day + range (gen, 0, 60));

          json_object_set_string_member (fields, "consent_date", date);
          if (g_str_equal (consent, "yes"))
            json_object_set_string_member (fields, "consent_scope", PICK (gen, consent_scopes));
        }
      json_object_set_string_member (fields, "minsei_iin",
                                     g_ptr_array_index (gen->minsei[place->district],
                                                        g_str_hash (jichikai) % gen->minsei[place->district]->len));
      json_object_set_int_member (fields, "visit_interval_days", hh->interval);
      if (hh->status == 0)
        json_object_set_string_member (fields, "status", "active");
      else
        {
          g_autofree char *date = format_date (hh->end_day);
          g_autofree char *reason = NULL;

          if (hh->status == 1)
            reason = g_strdup_printf ("%s 市外へ転居", date);
          else if (chance (gen, 0.4))
            reason = g_strdup_printf ("%s 施設入所後に死亡", date);
          else
            reason = g_strdup_printf ("%s 死亡", date);
          json_object_set_string_member (fields, "status", hh->status == 1 ? "moved" : "deceased");
          json_object_set_string_member (fields, "status_reason", reason);
        }
      if (chance (gen, 0.08))
        json_object_set_string_member (fields, "note", PICK (gen, household_notes));
      json_object_set_string_member (fields, "coordinator_id", gen->coordinator_ids[hh->coordinator]);

      if (!write_record (gen, "household", hh->id, fields, error) ||
          !write_residents (gen, hh, persons, n_persons, foreign, error))
        return FALSE;
    }
  return TRUE;
}

/* Visits -------------------------------------------------------------- */

static const char * const notes_met[][8] = {
  [AREA_ELDERLY] = {
    "お元気そうで、最近は畑仕事を再開したとのこと。",
    "膝の痛みで買い物に行きにくいと話される。配食サービスの利用を提案。",
    "デイサービスに週2回通っている。特に困りごとはないとのこと。",
    "夏場の熱中症が心配。エアコンの使用を勧めた。",
    "介護保険の更新手続きについて説明した。",
    "近所の方との交流が減っている。ふれあいいきいきサロンへの参加を勧めた。",
    "通院の足がなく困っている。移動支援について情報提供。",
    "ゴミ出しが負担とのこと。自治会の見守り隊と相談する。",
  },
  [AREA_DISABILITY] = {
    "就労継続支援B型の利用が安定している。",
    "相談支援専門員と今後の計画を確認した。",
    "日中の過ごし方について本人と話した。",
    "障がい福祉サービスの更新時期を確認。",
    "家族の介護負担が大きいとのこと。短期入所の情報を伝えた。",
    "通所先での人間関係に悩んでいると話される。",
    "体調は安定。次回も定期訪問。",
    "手帳の更新について説明した。",
  },
  [AREA_CHILDREN] = {
    "子どもの登校状況について母親から相談あり。",
    "保育園の送迎が大変とのこと。ファミリー・サポート・センターを紹介。",
    "子ども食堂の案内を渡した。",
    "学習支援の利用を希望。",
    "乳児健診の日程を確認した。",
    "放課後の居場所について相談あり。",
    "子育ての孤立感を話される。子育てサロンを紹介。",
    "特に困りごとはないとのこと。",
  },
  [AREA_POVERTY] = {
    "家計の見直しについて一緒に確認した。",
    "就職活動中。ハローワークへの同行を提案。",
    "フードバンクの食料を届けた。",
    "家賃の滞納があるとのこと。くらしサポートセンターおあいこにつなぐ。",
    "公共料金の支払いについて相談あり。",
    "住まいの修繕が必要。制度の情報を伝えた。",
    "本人と面会できた。表情が以前より明るい。",
    "生活福祉資金について説明した。",
  },
  [AREA_OTHER] = {
    "近況を伺う。特に変わりなし。",
    "地域の見守り活動について説明した。",
    "防災訓練の案内を渡した。",
    "民生委員の交代について説明した。",
    "お元気そうで安心した。",
    "地域の行事への参加を勧めた。",
    "困りごとがあれば連絡をとお伝えした。",
    "近所の方からの心配の声を受けて訪問。問題なし。",
  },
};

static const char * const notes_sensitive[] = {
  "家族間の金銭トラブルについて相談あり。",
  "本人の精神状態が不安定。医療機関の受診を勧めた。",
  "息子さんが長年自室にこもっている。母親が今後を心配している。",
  "配偶者からの暴言があるとの訴え。関係機関と協議予定。",
  "借金の返済について相談あり。",
  "支援会議で検討予定のケース。",
  "近隣とのトラブルがあり、本人が強く不安を訴える。",
  "室内にごみが溜まっている。本人の同意を得て今後の片付けを相談。",
};

static const char * const notes_absent[] = {
  "不在。メモを投函した。",
  "不在のため近所の方に様子を伺った。",
  "インターホンに応答なし。後日再訪問する。",
  "不在。民生委員に最近の様子を確認した。",
};

static const char * const notes_refused[] = {
  "訪問を断られる。玄関先で挨拶のみ。",
  "本人が面会を希望されず。民生委員と情報共有。",
  "今は必要ないとのこと。連絡先を伝えた。",
};

static const char * const notes_moved[] = {
  "表札が外れており、転居の可能性。自治会長に確認を依頼。",
  "郵便受けに郵便物がたまっている。親族の連絡先を確認中。",
};

static const char * const notes_phone[] = {
  "電話で近況を確認。変わりなし。",
  "電話で次回訪問日を調整した。",
  "電話で通院の結果を伺った。",
};

static const char * const notes_agency[] = {
  "地域包括支援センターと支援方針を共有した。",
  "ケアマネジャーと情報交換。",
  "関係機関と今後の役割分担を確認した。",
  "担当者会議の日程を調整した。",
};

static const char * const notes_office[] = {
  "センターに来所。手続きについて相談。",
  "来所され、近況を話される。",
};

static const char * const followup_reasons[] = {
  "再訪問",
  "状況確認",
  "関係機関との調整結果の確認",
  "手続きの確認",
  "定期訪問",
};

/* Content categories that go with each support area. */
static const char * const area_categories[][6] = {
  [AREA_ELDERLY] = { "home_welfare", "care_insurance", "health", "daily_support", "family", "pension" },
  [AREA_DISABILITY] = { "home_welfare", "health", "daily_support", "work", "living_costs", "family" },
  [AREA_CHILDREN] = { "childcare", "child_community", "child_school", "family", "living_costs", "health" },
  [AREA_POVERTY] = { "living_costs", "work", "housing", "pension", "environment", "family" },
  [AREA_OTHER] = { "environment", "daily_support", "health", "family", "other", "other" },
};

static const char *
referral_agency (Generator *gen,
                 guint      area,
                 guint      district)
{
  const char *district_area = tsu_demo_districts[district].area;

  switch (area)
    {
    case AREA_ELDERLY:
      if (g_str_equal (district_area, "上野"))
        return "houkatsu_central";
      if (g_str_equal (district_area, "青山"))
        return "houkatsu_south";
      return "houkatsu_east";
    case AREA_DISABILITY:
      return chance (gen, 0.7) ? "disability_center" : "shogai_fukushi";
    case AREA_CHILDREN:
      return chance (gen, 0.6) ? "kodomo_katei" : "kodomo_mirai";
    case AREA_POVERTY:
      return chance (gen, 0.6) ? "oaiko" : "seikatsu_shien";
    default:
      return chance (gen, 0.5) ? "minsei_council" : "hoken_center";
    }
}

static const char *
agency_id (Generator  *gen,
           const char *code)
{
  const TsuReferenceAgency *agencies;
  guint n;

  agencies = tsu_reference_data_get_agencies (&n);
  g_assert (n <= G_N_ELEMENTS (gen->agency_ids));
  for (guint i = 0; i < n; i++)
    if (g_str_equal (agencies[i].code, code))
      {
        if (gen->agency_ids[i] == NULL)
          gen->agency_ids[i] = tsu_reference_data_agency_id (code);
        return gen->agency_ids[i];
      }
  g_assert_not_reached ();
  return NULL;
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static gboolean
write_followup (Generator   *gen,
                const char  *household_id,
                const char  *visit_id,
                const char  *due,
                const char  *done,
                GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *id = tsu_demo_record_id (gen->seed, "followup", gen->n_followups);

  json_object_set_string_member (fields, "household_id", household_id);
  json_object_set_string_member (fields, "due_date", due);
  json_object_set_string_member (fields, "reason", PICK (gen, followup_reasons));
  json_object_set_string_member (fields, "visit_id", visit_id);
  if (done != NULL)
    json_object_set_string_member (fields, "done_date", done);
  gen->n_followups++;
  return write_record (gen, "followup", id, fields, error);
}

static gboolean
write_household_visits (Generator      *gen,
                        DemoHousehold  *hh,
                        guint           n,
                        GError        **error)
{
  g_autofree guint *days = g_new (guint, MAX (n, 1));
  guint span = hh->end_day > hh->start_day ? hh->end_day - hh->start_day : 1;
  gboolean sensitive_case = (hh->flags & (TSU_HOUSEHOLD_FLAG_HIKIKOMORI | TSU_HOUSEHOLD_FLAG_8050 |
                                          TSU_HOUSEHOLD_FLAG_POVERTY)) != 0;

  for (guint v = 0; v < n; v++)
    {
      days[v] = working_day (gen, hh->start_day + range (gen, 0, span - 1));
      if (days[v] > gen->today)
        days[v] -= 7;   /* still a weekday, and not in the future */
    }
  qsort (days, n, sizeof (guint), compare_guint);

  /* A watched household is visited on schedule: its last visit lies within
   * its interval, so that the work list holds a few overdue follow-ups, not
   * every household whose visits happen to have been drawn early. */
  if (hh->status == 0 && hh->interval > 0 && n > 0 &&
      days[n - 1] + hh->interval < gen->today && gen->today - hh->interval >= hh->start_day)
    {
      days[n - 1] = working_day (gen, gen->today - range (gen, 1, hh->interval));
      if (days[n - 1] > gen->today)
        days[n - 1] -= 7;
      qsort (days, n, sizeof (guint), compare_guint);
    }

  for (guint v = 0; v < n; v++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *id = tsu_demo_record_id (gen->seed, "visit", gen->n_visits);
      g_autofree char *date = format_date (days[v]);
      g_autofree char *visited_at = NULL;
      g_autofree char *note = NULL;
      GString *categories = g_string_new (NULL);
      double x = uniform (gen);
      const char *contact, *outcome;
      const char *base_note;
      gboolean sensitive = FALSE;
      guint coordinator = hh->coordinator;
      guint area = hh->support_area;
      gboolean last = v + 1 == n;
      gboolean ok;

      if (chance (gen, 0.08))
        {
          /* Cover from a colleague of the same centre. */
          guint d = hh->district;
          coordinator = gen->district_coordinator_first[d];
          if (gen->district_coordinator_n[d] > 1)
            coordinator = centre_for_area (tsu_demo_districts[d].area)->first +
                          range (gen, 0, gen->district_coordinator_n[d] - 1);
        }

      contact = x < 0.60 ? "visit" : x < 0.80 ? "phone" : x < 0.85 ? "office" : x < 0.92 ? "accompany" : "agency";
      x = uniform (gen);
      if (g_str_equal (contact, "visit") || g_str_equal (contact, "accompany"))
        {
          if (last && hh->status == 1)
            outcome = "moved_unknown";
          else
            outcome = x < 0.78 ? "met" : x < 0.95 ? "absent" : x < 0.99 ? "refused" : "moved_unknown";
        }
      else if (g_str_equal (contact, "phone"))
        outcome = x < 0.85 ? "met" : "absent";
      else
        outcome = "met";

      visited_at = g_strdup_printf ("%sT%02d:%02d", date, range (gen, 9, 16), range (gen, 0, 3) * 15);

      if (g_str_equal (outcome, "met"))
        {
          if (sensitive_case ? chance (gen, 0.3) : chance (gen, 0.04))
            {
              sensitive = TRUE;
              base_note = PICK (gen, notes_sensitive);
            }
          else if (g_str_equal (contact, "phone"))
            base_note = PICK (gen, notes_phone);
          else if (g_str_equal (contact, "agency"))
            base_note = PICK (gen, notes_agency);
          else if (g_str_equal (contact, "office"))
            base_note = PICK (gen, notes_office);
          else
            base_note = notes_met[area][range (gen, 0, 7)];
        }
      else if (g_str_equal (outcome, "absent"))
        base_note = PICK (gen, notes_absent);
      else if (g_str_equal (outcome, "refused"))
        base_note = PICK (gen, notes_refused);
      else
        base_note = PICK (gen, notes_moved);
      note = g_strdup (base_note);

      if (g_str_equal (outcome, "met"))
        {
          guint n_categories = chance (gen, 0.5) ? 1 : chance (gen, 0.7) ? 2 : 3;
          guint used = 0;

          for (guint c = 0; c < n_categories; c++)
            {
              guint k = range (gen, 0, 5);

              if (used & (1u << k))
                continue;
              if (used != 0 && strcmp (area_categories[area][k], "other") == 0)
                continue;
              used |= 1u << k;
              if (categories->len > 0)
                g_string_append_c (categories, ',');
              g_string_append (categories, area_categories[area][k]);
            }
        }

      json_object_set_string_member (fields, "household_id", hh->id);
      json_object_set_string_member (fields, "visited_at", visited_at);
      json_object_set_string_member (fields, "coordinator_id", gen->coordinator_ids[coordinator]);
      json_object_set_string_member (fields, "contact_type", contact);
      json_object_set_string_member (fields, "outcome", outcome);
      json_object_set_string_member (fields, "support_area", support_area_codes[area]);
      if (categories->len > 0)
        json_object_set_string_member (fields, "categories", categories->str);
      g_string_free (categories, TRUE);
      json_object_set_string_member (fields, "note", note);
      if (g_str_equal (outcome, "met") && chance (gen, sensitive ? 0.3 : 0.06))
        json_object_set_string_member (fields, "referrals",
                                       agency_id (gen, referral_agency (gen, area, hh->district)));
      json_object_set_boolean_member (fields, "sensitive", sensitive);

      /* A next date on the visits of the last year where one is due: the
       * last visit of a watched household, a visit that found nobody home,
       * and some of the visits of households with many needs. */
      {
        guint recent = gen->today - MIN (gen->today, 365);
        guint next = 0;
        const char *done = NULL;
        g_autofree char *next_text = NULL;
        g_autofree char *done_text = NULL;

        if (days[v] >= recent && hh->status == 0)
          {
            if (g_str_equal (outcome, "absent"))
              next = days[v] + range (gen, 3, 14);
            else if (last && hh->interval > 0)
              next = days[v] + hh->interval + range (gen, -7, 7);
            else if (hh->interval > 0 && hh->interval <= 60 && chance (gen, 0.3))
              next = days[v] + range (gen, 14, hh->interval);
          }
        if (next != 0)
          {
            next = working_day (gen, next);
            next_text = format_date (next);
            json_object_set_string_member (fields, "next_follow_up", next_text);
            if (!last)
              {
                done_text = format_date (days[v + 1]);
                done = done_text;
              }
          }

        ok = write_record (gen, "visit", id, fields, error);
        gen->n_visits++;
        if (ok && next != 0)
          ok = write_followup (gen, hh->id, id, next_text, done, error);
      }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_visits (Generator            *gen,
              GError              **error)
{
  double total_rate = 0, scale;
  guint64 target = (guint64) gen->n_households * gen->years;

  gen->stage = "visits";

  /* Scale the rates so that the city gets one visit per household and year
   * on average (200,000 over five years at Iga scale), spent where the
   * needs are. */
  for (guint i = 0; i < gen->n_households; i++)
    {
      DemoHousehold *hh = &gen->households[i];

      total_rate += visit_rate (hh->flags) * (hh->end_day - hh->start_day) / 365.0;
    }
  scale = total_rate > 0 ? target / total_rate : 0;

  for (guint i = 0; i < gen->n_households; i++)
    {
      DemoHousehold *hh = &gen->households[i];
      double years = (hh->end_day - hh->start_day) / 365.0;
      guint n = poisson (gen, visit_rate (hh->flags) * years * scale);

      if (hh->status == 1 && n == 0)
        n = 1;
      if (n > 0 && !write_household_visits (gen, hh, n, error))
        return FALSE;
    }
  return TRUE;
}

/* The whole run ------------------------------------------------------- */

static gboolean
store_is_empty (TsuStore  *store,
                gboolean  *empty,
                GError   **error)
{
  g_autoptr(JsonObject) stats = tsu_store_get_stats (store, error);

  if (stats == NULL)
    return FALSE;
  *empty = json_object_get_int_member (stats, "households") == 0;
  return TRUE;
}

static void
generator_clear (Generator *gen)
{
  for (guint i = 0; i < G_N_ELEMENTS (gen->district_ids); i++)
    {
      g_free (gen->district_ids[i]);
      g_clear_pointer (&gen->minsei[i], g_ptr_array_unref);
    }
  for (guint i = 0; i < G_N_ELEMENTS (gen->coordinator_ids); i++)
    g_free (gen->coordinator_ids[i]);
  for (guint i = 0; i < G_N_ELEMENTS (gen->agency_ids); i++)
    g_free (gen->agency_ids[i]);
  g_free (gen->place_cumulative);
  g_free (gen->family_cumulative);
  g_free (gen->households);
  g_clear_pointer (&gen->rand, g_rand_free);
}

gboolean
tsu_demo_generate (TsuStore              *store,
                   const TsuDemoOptions  *options,
                   TsuDemoProgressFunc    progress,
                   gpointer               progress_data,
                   GCancellable          *cancellable,
                   GError               **error)
{
  Generator gen = { 0 };
  TsuDemoOptions defaults;
  gboolean empty = FALSE;
  gboolean ok;
  double sum = 0;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  if (options == NULL)
    {
      tsu_demo_options_init (&defaults, TSU_DEMO_SIZE_IGA);
      options = &defaults;
    }

  if (options->households == 0 || options->households > TSU_DEMO_MAX_HOUSEHOLDS)
    {
      g_set_error (error, TSU_DEMO_ERROR, TSU_DEMO_ERROR_INVALID,
                   _("The number of demo households must be between 1 and %d"),
                   TSU_DEMO_MAX_HOUSEHOLDS);
      return FALSE;
    }
  if (options->years < 1 || options->years > 30)
    {
      g_set_error (error, TSU_DEMO_ERROR, TSU_DEMO_ERROR_INVALID,
                   _("The years of demo visits must be between 1 and 30"));
      return FALSE;
    }

  gen.store = store;
  gen.seed = options->seed;
  gen.rand = g_rand_new_with_seed (options->seed);
  gen.years = options->years;
  gen.progress = progress;
  gen.progress_data = progress_data;
  gen.cancellable = cancellable;
  gen.n_households = options->households;
  gen.stage = "reference";
  /* Households, about 2.1 residents each, about 5 visits and 1 follow-up. */
  gen.expected = (guint64) options->households * (1 + 2 + options->years + 1);

  if (g_date_valid (&options->today))
    gen.today = g_date_get_julian (&options->today);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now), g_date_time_get_year (now));
      gen.today = g_date_get_julian (&date);
    }

  gen.place_cumulative = g_new (double, tsu_demo_n_places);
  for (guint i = 0; i < tsu_demo_n_places; i++)
    {
      sum += tsu_demo_places[i].households;
      gen.place_cumulative[i] = sum;
    }
  gen.family_cumulative = g_new (double, G_N_ELEMENTS (family_names));
  sum = 0;
  for (guint i = 0; i < G_N_ELEMENTS (family_names); i++)
    {
      sum += 1.0 / pow (i + 1, 0.6);
      gen.family_cumulative[i] = sum;
    }

  if (!tsu_store_set_bulk_cache (store, TRUE, error))
    {
      generator_clear (&gen);
      return FALSE;
    }
  if (!tsu_store_begin (store, error))
    {
      tsu_store_set_bulk_cache (store, FALSE, NULL);
      generator_clear (&gen);
      return FALSE;
    }

  /* Checked inside the transaction, so that no other writer can add
   * households between the check and the writes. */
  ok = store_is_empty (store, &empty, error);
  if (ok && !empty)
    {
      g_set_error (error, TSU_DEMO_ERROR, TSU_DEMO_ERROR_NOT_EMPTY,
                   _("The database “%s” already holds households; the demo city is only made in an empty database"),
                   tsu_store_get_path (store));
      ok = FALSE;
    }

  ok = ok &&
       tsu_reference_data_ensure (store, error) &&
       write_districts (&gen, error) &&
       write_coordinators (&gen, error) &&
       write_households (&gen, options, error) &&
       write_visits (&gen, error);

  if (ok)
    ok = tsu_store_commit (store, error);
  else
    tsu_store_rollback (store);

  tsu_store_set_bulk_cache (store, FALSE, NULL);

  if (ok && progress != NULL)
    progress (1.0, "done", progress_data);

  generator_clear (&gen);
  return ok;
}

typedef struct
{
  TsuDemoOptions       options;
  TsuDemoProgressFunc  progress;
  gpointer             progress_data;
  GMainContext        *context;       /* where progress is reported */
  int                  last_percent;
} AsyncData;

typedef struct
{
  TsuDemoProgressFunc  progress;
  gpointer             progress_data;
  double               fraction;
  const char          *stage;         /* static strings */
} ProgressCall;

static void
async_data_free (AsyncData *data)
{
  g_main_context_unref (data->context);
  g_free (data);
}

static gboolean
call_progress (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->fraction, call->stage, call->progress_data);
  return G_SOURCE_REMOVE;
}

/* Runs in the worker: hands at most one call per per cent to the caller's
 * main context, so the UI is not flooded. */
static void
forward_progress (double      fraction,
                  const char *stage,
                  gpointer    user_data)
{
  AsyncData *data = user_data;
  int percent = (int) (fraction * 100);
  ProgressCall *call;

  if (percent == data->last_percent && !g_str_equal (stage, "done"))
    return;
  data->last_percent = percent;

  call = g_new (ProgressCall, 1);
  call->progress = data->progress;
  call->progress_data = data->progress_data;
  call->fraction = fraction;
  call->stage = stage;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, call_progress, call, g_free);
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AsyncData *data = task_data;
  GError *error = NULL;

  if (tsu_demo_generate (source_object, &data->options,
                         data->progress != NULL ? forward_progress : NULL, data,
                         cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Generates in a worker thread; the store's mutex keeps other users of the
 * store waiting until the transaction is committed. progress, if given, is
 * called in the thread-default main context of the caller. */
void
tsu_demo_generate_async (TsuStore             *store,
                         const TsuDemoOptions *options,
                         TsuDemoProgressFunc   progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  AsyncData *data = g_new0 (AsyncData, 1);

  if (options != NULL)
    data->options = *options;
  else
    tsu_demo_options_init (&data->options, TSU_DEMO_SIZE_IGA);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  data->last_percent = -1;

  g_task_set_source_tag (task, tsu_demo_generate_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, generate_thread);
}

gboolean
tsu_demo_generate_finish (TsuStore      *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
