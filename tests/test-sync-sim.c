/* test-sync-sim.c: the convergence simulation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thirteen laptops and a hub make random edits (households, residents,
 * visits, follow-ups, concurrent field edits, deletes, district
 * reassignments) while changeset files travel in a random schedule: lost,
 * delivered twice, late, out of order. After a final full exchange every
 * laptop's view of its districts must equal the hub's, byte for byte, and
 * every visit any laptop logged must be at the hub. Seeded and repeatable:
 * TSU_SEED=n picks another seed, TSU_SOAK=1 runs far more operations.
 */
#include "config.h"

#include <string.h>

#include "sync-util.h"

#define N_LAPTOPS 13
#define N_DISTRICTS 10

typedef struct
{
  TsuStore  *store;
  char      *device;
  char      *districts[3];
  GPtrArray *outbox;   /* files on their way to the hub */
  GPtrArray *inbox;    /* files on their way from the hub */
} Laptop;

typedef struct
{
  GRand     *rand;
  TsuStore  *hub;
  Laptop     laptops[N_LAPTOPS];
  char      *districts[N_DISTRICTS];
  char      *coordinator;
  GPtrArray *households;   /* every household id ever made */
  GPtrArray *visits;       /* every visit id a laptop made */
  GPtrArray *residents;
  guint      n_ops;
  guint      n_files;
  guint      n_dropped;
  guint      n_duplicated;
  guint      n_refused;     /* re-delivered or out of order: already imported */
} Sim;

static const char *
pick (Sim       *sim,
      GPtrArray *array)
{
  if (array->len == 0)
    return NULL;
  return array->pdata[g_rand_int_range (sim->rand, 0, (gint32) array->len)];
}

/* A record this laptop has and that is not deleted. */
static JsonObject *
pick_present (Sim        *sim,
              TsuStore   *store,
              const char *table,
              GPtrArray  *candidates,
              char      **id_out)
{
  for (int tries = 0; tries < 8; tries++)
    {
      const char *id = pick (sim, candidates);
      JsonObject *record;

      if (id == NULL)
        return NULL;
      record = tsu_store_get_record (store, table, id, NULL);
      if (record != NULL && !json_object_get_boolean_member (record, "deleted"))
        {
          *id_out = g_strdup (id);
          return record;
        }
      g_clear_pointer (&record, json_object_unref);
    }
  return NULL;
}

static void
random_edit (Sim      *sim,
             TsuStore *store,
             Laptop   *laptop)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) household = NULL;
  g_autofree char *household_id = NULL;
  int action = g_rand_int_range (sim->rand, 0, 100);

  household = pick_present (sim, store, "household", sim->households, &household_id);

  if (household == NULL || action < 12)
    {
      const char *district = laptop != NULL ? laptop->districts[g_rand_int_range (sim->rand, 0, 2)]
                                            : sim->districts[g_rand_int_range (sim->rand, 0, N_DISTRICTS)];
      g_autofree char *address = g_strdup_printf ("伊賀市上野%u番地", g_rand_int_range (sim->rand, 1, 999));
      char *id;

      json_object_set_string_member (fields, "district_id", district);
      json_object_set_string_member (fields, "address", address);
      json_object_set_int_member (fields, "visit_interval_days", g_rand_int_range (sim->rand, 7, 90));
      id = tsu_store_create (store, "household", fields, &error);
      g_assert_no_error (error);
      g_ptr_array_add (sim->households, id);
    }
  else if (action < 25)
    {
      g_autofree char *name = g_strdup_printf ("住民%u", g_rand_int (sim->rand));
      char *id;

      json_object_set_string_member (fields, "household_id", household_id);
      json_object_set_string_member (fields, "name", name);
      json_object_set_int_member (fields, "position", g_rand_int_range (sim->rand, 0, 5));
      id = tsu_store_create (store, "resident", fields, &error);
      g_assert_no_error (error);
      g_ptr_array_add (sim->residents, id);
    }
  else if (action < 55)
    {
      g_autofree char *when = g_strdup_printf ("2026-%02d-%02dT%02d:%02d", g_rand_int_range (sim->rand, 1, 13),
                                               g_rand_int_range (sim->rand, 1, 29), g_rand_int_range (sim->rand, 8, 18),
                                               g_rand_int_range (sim->rand, 0, 60));
      char *id;

      json_object_set_string_member (fields, "household_id", household_id);
      json_object_set_string_member (fields, "visited_at", when);
      json_object_set_string_member (fields, "coordinator_id", sim->coordinator);
      json_object_set_string_member (fields, "contact_type", "home");
      json_object_set_string_member (fields, "outcome", g_rand_boolean (sim->rand) ? "met" : "absent");
      json_object_set_string_member (fields, "note", "様子を確認");
      id = tsu_store_create (store, "visit", fields, &error);
      g_assert_no_error (error);
      g_ptr_array_add (sim->visits, id);

      if (g_rand_int_range (sim->rand, 0, 4) == 0)
        {
          g_autoptr(JsonObject) followup = json_object_new ();
          g_autofree char *fid = NULL;

          json_object_set_string_member (followup, "household_id", household_id);
          json_object_set_string_member (followup, "visit_id", id);
          json_object_set_string_member (followup, "due_date", "2026-12-01");
          fid = tsu_store_create (store, "followup", followup, &error);
          g_assert_no_error (error);
        }
    }
  else if (action < 85)
    {
      /* Concurrent edits of the same few fields. */
      static const char * const notes[] = { "鍵は裏口", "鍵は玄関", "犬がいる", "午前中は不在", "要見守り" };

      if (g_rand_boolean (sim->rand))
        json_object_set_string_member (fields, "note", notes[g_rand_int_range (sim->rand, 0, G_N_ELEMENTS (notes))]);
      else
        {
          g_autofree char *phone = g_strdup_printf ("0595-%02u-%04u", g_rand_int_range (sim->rand, 10, 99),
                                                    g_rand_int_range (sim->rand, 0, 9999));
          json_object_set_string_member (fields, "phone", phone);
        }
      if (g_rand_int_range (sim->rand, 0, 3) == 0)
        json_object_set_int_member (fields, "flags", g_rand_int_range (sim->rand, 0, 8));
      tsu_store_update (store, "household", household_id, fields, &error);
      g_assert_no_error (error);
    }
  else if (action < 91)
    {
      g_autoptr(JsonObject) resident = NULL;
      g_autofree char *resident_id = NULL;

      resident = pick_present (sim, store, "resident", sim->residents, &resident_id);
      if (resident != NULL)
        {
          tsu_store_delete (store, "resident", resident_id, &error);
          g_assert_no_error (error);
        }
    }
  else if (action < 93)
    {
      tsu_store_delete (store, "household", household_id, &error);
      g_assert_no_error (error);
    }
  else
    {
      /* Reassign to any district, often one this laptop does not cover. */
      json_object_set_string_member (fields, "district_id",
                                     sim->districts[g_rand_int_range (sim->rand, 0, N_DISTRICTS)]);
      tsu_store_update (store, "household", household_id, fields, &error);
      g_assert_no_error (error);
    }
  sim->n_ops++;
}

/* Takes a random file out of @queue; sometimes leaves it there too (a
 * duplicate), sometimes loses it. */
static GBytes *
deliver (Sim       *sim,
         GPtrArray *queue)
{
  guint index;
  GBytes *file;

  if (queue->len == 0)
    return NULL;
  index = g_rand_int_range (sim->rand, 0, (gint32) queue->len);
  file = g_bytes_ref (queue->pdata[index]);
  if (g_rand_int_range (sim->rand, 0, 6) == 0)
    sim->n_duplicated++;
  else
    g_ptr_array_remove_index (queue, index);
  if (g_rand_int_range (sim->rand, 0, 6) == 0)
    {
      sim->n_dropped++;
      g_bytes_unref (file);
      return NULL;
    }
  return file;
}

static void
random_exchange (Sim *sim)
{
  Laptop *laptop = &sim->laptops[g_rand_int_range (sim->rand, 0, N_LAPTOPS)];
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = NULL;

  switch (g_rand_int_range (sim->rand, 0, 4))
    {
    case 0:
      g_ptr_array_add (laptop->outbox, sync_util_export (laptop->store, NULL));
      sim->n_files++;
      break;
    case 1:
      file = deliver (sim, laptop->outbox);
      if (file != NULL)
        {
          /* A re-delivered file, or one older than a file already
           * imported, is refused as already imported and changes nothing;
           * the newer file carried the same operations. */
          if (!sync_util_import (sim->hub, file, NULL, &error) &&
              g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_ALREADY_IMPORTED))
            {
              sim->n_refused++;
              g_clear_error (&error);
            }
          g_assert_no_error (error);
        }
      break;
    case 2:
      g_ptr_array_add (laptop->inbox, sync_util_export (sim->hub, laptop->device));
      sim->n_files++;
      break;
    default:
      file = deliver (sim, laptop->inbox);
      if (file != NULL)
        {
          /* A re-delivered file, or one older than a file already
           * imported, is refused as already imported and changes nothing;
           * the newer file carried the same operations. */
          if (!sync_util_import (laptop->store, file, NULL, &error) &&
              g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_ALREADY_IMPORTED))
            {
              sim->n_refused++;
              g_clear_error (&error);
            }
          g_assert_no_error (error);
        }
      break;
    }
}

static void
test_convergence (void)
{
  const char *seed_env = g_getenv ("TSU_SEED");
  gboolean soak = g_strcmp0 (g_getenv ("TSU_SOAK"), "1") == 0;
  guint32 seed = seed_env != NULL ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : 20261122;
  guint n_steps = soak ? 60000 : 3200;
  g_autoptr(GError) error = NULL;
  Sim sim = { 0, };
  guint n_conflicts = 0;

  g_test_message ("seed %u, %u steps", seed, n_steps);
  sim.rand = g_rand_new_with_seed (seed);
  sim.households = g_ptr_array_new_with_free_func (g_free);
  sim.visits = g_ptr_array_new_with_free_func (g_free);
  sim.residents = g_ptr_array_new_with_free_func (g_free);

  sim.hub = tsu_store_open (":memory:", &error);
  g_assert_no_error (error);
  tsu_store_set_actor (sim.hub, "本部");
  for (guint i = 0; i < N_DISTRICTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("地区%u", i + 1);
      sim.districts[i] = sync_util_make_record (sim.hub, "district", "name", name, NULL);
    }
  sim.coordinator = sync_util_make_record (sim.hub, "coordinator", "name", "コーディネーター", NULL);
  sync_util_make_record (sim.hub, "agency", "name", "地域包括支援センター", NULL);

  for (guint i = 0; i < N_LAPTOPS; i++)
    {
      Laptop *laptop = &sim.laptops[i];
      g_autofree char *name = g_strdup_printf ("laptop %u", i + 1);
      g_autofree char *actor = g_strdup_printf ("担当%u", i + 1);

      laptop->store = tsu_store_open (":memory:", &error);
      g_assert_no_error (error);
      tsu_store_set_actor (laptop->store, actor);
      /* Overlapping districts, so that laptops edit the same households. */
      laptop->districts[0] = sim.districts[i % N_DISTRICTS];
      laptop->districts[1] = sim.districts[(i + 3) % N_DISTRICTS];
      laptop->districts[2] = NULL;
      laptop->device = sync_util_register (sim.hub, laptop->store, name,
                                           (const char * const *) laptop->districts, NULL);
      laptop->outbox = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      laptop->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      {
        g_autoptr(GBytes) first = sync_util_export (sim.hub, laptop->device);
        sync_util_import (laptop->store, first, NULL, &error);
        g_assert_no_error (error);
      }
    }

  for (guint step = 0; step < n_steps; step++)
    {
      int what = g_rand_int_range (sim.rand, 0, 100);

      if (what < 70)
        {
          guint index = g_rand_int_range (sim.rand, 0, N_LAPTOPS);
          random_edit (&sim, sim.laptops[index].store, &sim.laptops[index]);
        }
      else if (what < 73)
        random_edit (&sim, sim.hub, NULL);
      else
        random_exchange (&sim);
    }

  /* Final full exchange: every laptop to the hub, then the hub to every laptop. */
  for (guint i = 0; i < N_LAPTOPS; i++)
    {
      g_autoptr(GBytes) file = sync_util_export (sim.laptops[i].store, NULL);
      sync_util_import (sim.hub, file, NULL, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_LAPTOPS; i++)
    {
      Laptop *laptop = &sim.laptops[i];
      g_autoptr(GBytes) file = sync_util_export (sim.hub, laptop->device);
      g_autofree char *mine = NULL;
      g_autofree char *hubs = NULL;

      sync_util_import (laptop->store, file, NULL, &error);
      g_assert_no_error (error);

      mine = sync_util_dump (laptop->store, (const char * const *) laptop->districts);
      hubs = sync_util_dump (sim.hub, (const char * const *) laptop->districts);
      if (g_strcmp0 (mine, hubs) != 0)
        {
          g_autofree char *a = g_strdup_printf ("/tmp/tsu-sim-laptop%u.txt", i);
          g_autofree char *b = g_strdup_printf ("/tmp/tsu-sim-hub%u.txt", i);
          g_file_set_contents (a, mine, -1, NULL);
          g_file_set_contents (b, hubs, -1, NULL);
          g_error ("laptop %u differs from the hub (see %s, %s)", i + 1, a, b);
        }
      g_assert_cmpuint (strlen (mine), >, 0);
      n_conflicts += tsu_store_sync_count_conflicts (laptop->store);
    }

  for (guint i = 0; i < sim.visits->len; i++)
    {
      g_autoptr(JsonObject) visit = tsu_store_get_record (sim.hub, "visit", sim.visits->pdata[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (visit);
    }

  g_test_message ("%u operations, %u visits, %u households, %u files (%u lost, %u duplicated, %u refused as already imported), "
                  "%u conflicts at the hub, %u on laptops",
                  sim.n_ops, sim.visits->len, sim.households->len, sim.n_files, sim.n_dropped,
                  sim.n_duplicated, sim.n_refused, tsu_store_sync_count_conflicts (sim.hub), n_conflicts);
  g_assert_cmpuint (sim.n_refused, >, 0);
  g_assert_cmpuint (sim.n_ops, >=, 2000);  /* thousands, as the contract asks */
  g_assert_cmpuint (sim.n_dropped, >, 0);
  g_assert_cmpuint (sim.n_duplicated, >, 0);
  g_assert_cmpuint (tsu_store_sync_count_conflicts (sim.hub), >, 0);

  for (guint i = 0; i < N_LAPTOPS; i++)
    {
      g_object_unref (sim.laptops[i].store);
      g_free (sim.laptops[i].device);
      g_ptr_array_unref (sim.laptops[i].outbox);
      g_ptr_array_unref (sim.laptops[i].inbox);
    }
  for (guint i = 0; i < N_DISTRICTS; i++)
    g_free (sim.districts[i]);
  g_free (sim.coordinator);
  g_ptr_array_unref (sim.households);
  g_ptr_array_unref (sim.visits);
  g_ptr_array_unref (sim.residents);
  g_object_unref (sim.hub);
  g_rand_free (sim.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/convergence", test_convergence);
  return g_test_run ();
}
