/* test-lock-page.c: locking hides every personal widget, and the window title
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "tsu-idle-monitor.h"
#include "tsu-lock-page.h"
#include "tsu-passphrase.h"

#define PERSONAL_NAME "伊賀 花子"
#define PASSPHRASE "kumihama-2026"

static GTestDBus *test_bus;

typedef struct
{
  char        *dir;
  char        *passphrase_path;
  GtkWindow   *window;
  TsuLockPage *page;
  GtkWidget   *name_label;
  GtkWidget   *name_entry;
  guint        unlocked;
} Fixture;

static void
on_unlocked_cb (TsuLockPage *page,
                Fixture     *fixture)
{
  fixture->unlocked++;
}

static void
wait_until (gboolean (*done) (Fixture *), Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (fixture))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
window_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (fixture->name_label);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *box;

  fixture->dir = g_dir_make_tmp ("tsu-test-lock-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->passphrase_path = g_build_filename (fixture->dir, "passphrase", NULL);

  /* Personal content as the real window has it: a name in a label, and
   * the same name being typed into an entry. */
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  fixture->name_label = gtk_label_new (PERSONAL_NAME);
  fixture->name_entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (fixture->name_entry), PERSONAL_NAME);
  gtk_box_append (GTK_BOX (box), fixture->name_label);
  gtk_box_append (GTK_BOX (box), fixture->name_entry);

  fixture->page = TSU_LOCK_PAGE (tsu_lock_page_new ());
  tsu_lock_page_set_passphrase_path (fixture->page, fixture->passphrase_path);
  tsu_lock_page_set_content (fixture->page, box);
  g_signal_connect (fixture->page, "unlocked", G_CALLBACK (on_unlocked_cb), fixture);

  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_title (fixture->window, PERSONAL_NAME " — Tsunagu");
  gtk_window_set_default_size (fixture->window, 800, 600);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  wait_until (window_mapped, fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_unlink (fixture->passphrase_path);
  g_rmdir (fixture->dir);
  g_free (fixture->passphrase_path);
  g_free (fixture->dir);
}

/* Every visible text in the window, through the widget tree as assistive
 * technologies and screenshots see it: only mapped widgets count. */
static void
collect_visible_text (GtkWidget *widget,
                      GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_EDITABLE (widget) && !GTK_IS_PASSWORD_ENTRY (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_visible_text (child, out);
}

static gboolean
shows_personal_data (Fixture *fixture)
{
  g_autoptr(GString) text = g_string_new (NULL);

  collect_visible_text (GTK_WIDGET (fixture->window), text);
  return strstr (text->str, PERSONAL_NAME) != NULL ||
         strstr (gtk_window_get_title (fixture->window), PERSONAL_NAME) != NULL;
}

/* The lock page's passphrase entries, in order, and the error label. */
static GtkWidget *
nth_password_entry (Fixture *fixture,
                    guint    n)
{
  GtkWidget *lock_box = gtk_widget_get_last_child (gtk_widget_get_first_child (GTK_WIDGET (fixture->page)));
  guint i = 0;
  GtkWidget *found = NULL;

  /* Walk the tree in order and count. */
  GPtrArray *stack = g_ptr_array_new ();
  g_ptr_array_add (stack, lock_box);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_PASSWORD_ENTRY (w))
        {
          if (i++ == n)
            found = w;
          continue;
        }
      for (GtkWidget *c = gtk_widget_get_last_child (w); c != NULL; c = gtk_widget_get_prev_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  g_assert_nonnull (found);
  return found;
}

static const char *
error_text (Fixture *fixture)
{
  GtkWidget *lock_box = gtk_widget_get_last_child (gtk_widget_get_first_child (GTK_WIDGET (fixture->page)));
  GPtrArray *stack = g_ptr_array_new ();
  const char *text = NULL;

  g_ptr_array_add (stack, lock_box);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "error") && gtk_widget_get_visible (w))
        text = gtk_label_get_text (GTK_LABEL (w));
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  return text;
}

static gboolean
error_shown (Fixture *fixture)
{
  return error_text (fixture) != NULL;
}

static gboolean
was_unlocked (Fixture *fixture)
{
  return fixture->unlocked > 0;
}

static gboolean
content_hidden (Fixture *fixture)
{
  return !gtk_widget_get_mapped (fixture->name_label);
}

static void
test_lock_hides_personal_data (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *entry;

  g_assert_true (tsu_passphrase_set_with_limits (fixture->passphrase_path, PASSPHRASE,
                                                 crypto_pwhash_OPSLIMIT_MIN,
                                                 crypto_pwhash_MEMLIMIT_MIN, &error));
  g_assert_no_error (error);

  /* Unlocked: the name is on screen (so the check below can fail). */
  g_assert_true (shows_personal_data (fixture));
  g_assert_false (tsu_lock_page_get_locked (fixture->page));

  tsu_lock_page_lock (fixture->page);
  wait_until (content_hidden, fixture);

  g_assert_true (tsu_lock_page_get_locked (fixture->page));
  g_assert_false (shows_personal_data (fixture));
  g_assert_false (gtk_widget_get_mapped (fixture->name_entry));
  g_assert_false (gtk_widget_is_sensitive (fixture->name_entry));
  g_assert_cmpstr (gtk_window_get_title (fixture->window), ==, "Tsunagu (Locked)");

  /* The focus is on the passphrase, not left in a hidden entry. */
  entry = nth_password_entry (fixture, 0);
  g_assert_true (gtk_widget_get_mapped (entry));
  g_assert_false (gtk_widget_get_visible (nth_password_entry (fixture, 1)));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (fixture->window), entry) ||
                 gtk_window_get_focus (fixture->window) == entry);

  /* The app retitling the window while locked does not leak the name. */
  gtk_window_set_title (fixture->window, "山田 太郎 — Tsunagu");
  g_assert_cmpstr (gtk_window_get_title (fixture->window), ==, "Tsunagu (Locked)");

  /* A wrong passphrase keeps it locked and says so. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "kumihama-2025");
  g_signal_emit_by_name (entry, "activate");
  wait_until (error_shown, fixture);
  g_assert_cmpstr (error_text (fixture), ==, "Wrong passphrase. Try again.");
  g_assert_true (tsu_lock_page_get_locked (fixture->page));
  g_assert_false (shows_personal_data (fixture));
  g_assert_false (gtk_widget_get_mapped (fixture->name_label));
  g_assert_cmpuint (fixture->unlocked, ==, 0);

  /* The right one shows everything again, with the latest title. */
  gtk_editable_set_text (GTK_EDITABLE (entry), PASSPHRASE);
  g_signal_emit_by_name (entry, "activate");
  wait_until (was_unlocked, fixture);
  wait_until (window_mapped, fixture);
  g_assert_false (tsu_lock_page_get_locked (fixture->page));
  g_assert_true (gtk_widget_get_mapped (fixture->name_entry));
  g_assert_true (gtk_widget_is_sensitive (fixture->name_entry));
  g_assert_cmpstr (gtk_window_get_title (fixture->window), ==, "山田 太郎 — Tsunagu");
  /* The passphrase is not left in the entry for the next lock. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

static gboolean
dialog_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (g_object_get_data (G_OBJECT (fixture->window), "test-dialog"));
}

static void
test_lock_hides_dialogs (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog = GTK_WINDOW (gtk_window_new ());
  GtkWindow *gone = GTK_WINDOW (gtk_window_new ());
  GtkWidget *entry;

  g_assert_true (tsu_passphrase_set_with_limits (fixture->passphrase_path, PASSPHRASE,
                                                 crypto_pwhash_OPSLIMIT_MIN,
                                                 crypto_pwhash_MEMLIMIT_MIN, &error));

  /* A visit being edited in a dialog over the window, and another dialog
   * the app closes while locked. */
  gtk_window_set_transient_for (dialog, fixture->window);
  gtk_window_set_title (dialog, PERSONAL_NAME);
  gtk_window_set_child (dialog, gtk_label_new (PERSONAL_NAME));
  gtk_window_set_transient_for (gone, fixture->window);
  g_object_set_data (G_OBJECT (fixture->window), "test-dialog", dialog);
  gtk_window_present (dialog);
  gtk_window_present (gone);
  wait_until (dialog_mapped, fixture);

  tsu_lock_page_lock (fixture->page);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  gtk_window_destroy (gone);

  entry = nth_password_entry (fixture, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), PASSPHRASE);
  g_signal_emit_by_name (entry, "activate");
  wait_until (was_unlocked, fixture);
  wait_until (dialog_mapped, fixture);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  gtk_window_destroy (dialog);
}

static void
test_first_passphrase (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *first;
  GtkWidget *repeat;

  g_assert_false (tsu_passphrase_is_set (fixture->passphrase_path));

  tsu_lock_page_lock (fixture->page);
  wait_until (content_hidden, fixture);
  g_assert_false (shows_personal_data (fixture));

  first = nth_password_entry (fixture, 0);
  repeat = nth_password_entry (fixture, 1);
  g_assert_true (gtk_widget_get_visible (repeat));

  gtk_editable_set_text (GTK_EDITABLE (first), "short");
  gtk_editable_set_text (GTK_EDITABLE (repeat), "short");
  g_signal_emit_by_name (repeat, "activate");
  g_assert_true (error_shown (fixture));
  g_assert_true (tsu_lock_page_get_locked (fixture->page));

  gtk_editable_set_text (GTK_EDITABLE (first), "iga-ueno-castle");
  gtk_editable_set_text (GTK_EDITABLE (repeat), "iga-ueno-castel");
  g_signal_emit_by_name (repeat, "activate");
  g_assert_cmpstr (error_text (fixture), ==, "The two passphrases are not the same.");
  g_assert_false (tsu_passphrase_is_set (fixture->passphrase_path));

  gtk_editable_set_text (GTK_EDITABLE (repeat), "iga-ueno-castle");
  g_signal_emit_by_name (repeat, "activate");
  wait_until (was_unlocked, fixture);
  g_assert_true (tsu_passphrase_is_set (fixture->passphrase_path));
  g_assert_false (tsu_lock_page_get_locked (fixture->page));

  /* Next time it asks for that passphrase, once. */
  tsu_lock_page_lock (fixture->page);
  g_assert_false (gtk_widget_get_visible (nth_password_entry (fixture, 1)));
}

static void
on_lock_requested_cb (TsuIdleMonitor *monitor,
                      int             reason,
                      int            *out)
{
  *out = reason;
}

static void
test_idle_monitor (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TsuIdleMonitor) monitor = NULL;
  int reason = -1;
  gint64 start;
  gint64 last_reset;

  monitor = tsu_idle_monitor_new (settings, FALSE);
  /* The setting is in minutes, the monitor in seconds. */
  g_assert_cmpuint (tsu_idle_monitor_get_timeout (monitor), ==, 10 * 60);
  g_settings_set_uint (settings, "idle-lock-minutes", 0);
  g_assert_cmpuint (tsu_idle_monitor_get_timeout (monitor), ==, 0);
  g_settings_set_uint (settings, "idle-lock-minutes", 3);
  g_assert_cmpuint (tsu_idle_monitor_get_timeout (monitor), ==, 180);
  g_settings_set_boolean (settings, "lock-on-screen-lock", FALSE);
  g_assert_false (tsu_idle_monitor_get_lock_on_screen_lock (monitor));

  g_signal_connect (monitor, "lock-requested", G_CALLBACK (on_lock_requested_cb), &reason);
  tsu_idle_monitor_watch_window (monitor, fixture->window);

  /* A short timeout, kept from firing by activity for longer than itself
   * (2 s, so that a busy test machine pausing this loop is not idleness). */
  tsu_idle_monitor_set_timeout (monitor, 2);
  start = g_get_monotonic_time ();
  while (TRUE)
    {
      tsu_idle_monitor_reset (monitor);
      last_reset = g_get_monotonic_time ();
      if (last_reset - start >= 3000 * 1000)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  g_assert_cmpint (reason, ==, -1);

  /* Then left alone, it asks to lock, once, no sooner than the timeout. */
  start = last_reset;
  while (reason == -1)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (reason, ==, TSU_LOCK_REASON_IDLE);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1990 * 1000);

  /* Off means off. */
  reason = -1;
  tsu_idle_monitor_set_timeout (monitor, 0);
  tsu_idle_monitor_reset (monitor);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 1500 * 1000)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  g_assert_cmpint (reason, ==, -1);
}

static void
test_idle_monitor_screensaver (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(TsuIdleMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  int reason = -1;
  gint64 start;

  /* On the private session bus this test plays GNOME Shell. There is no
   * system bus: the monitor must carry on without logind. */
  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (test_bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gnome.ScreenSaver", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  monitor = tsu_idle_monitor_new (NULL, TRUE);
  tsu_idle_monitor_set_timeout (monitor, 0);
  g_signal_connect (monitor, "lock-requested", G_CALLBACK (on_lock_requested_cb), &reason);

  /* The monitor subscribes asynchronously: keep announcing until heard. */
  start = g_get_monotonic_time ();
  while (reason == -1)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
      g_dbus_connection_emit_signal (connection, NULL, "/org/gnome/ScreenSaver",
                                     "org.gnome.ScreenSaver", "ActiveChanged",
                                     g_variant_new ("(b)", TRUE), &error);
      g_assert_no_error (error);
      for (int i = 0; i < 20; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (5 * 1000);
        }
    }
  g_assert_cmpint (reason, ==, TSU_LOCK_REASON_SCREEN_LOCK);

  /* The screen saver going away is not a reason to lock. */
  reason = -1;
  g_dbus_connection_emit_signal (connection, NULL, "/org/gnome/ScreenSaver",
                                 "org.gnome.ScreenSaver", "ActiveChanged",
                                 g_variant_new ("(b)", FALSE), &error);
  g_dbus_connection_flush_sync (connection, NULL, NULL);
  for (int i = 0; i < 100; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2 * 1000);
    }
  g_assert_cmpint (reason, ==, -1);

  g_clear_object (&monitor);
  g_dbus_connection_close_sync (connection, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* A private session bus from the start, before GTK connects to one, so
   * that the tests see the signals they send and never reach (or, through
   * X11 autolaunch, start) a real one. */
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (test_bus);
  /* g_test_dbus_up unsets DISPLAY to stop autolaunching; GTK needs it. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/tsunagu-test-system-bus", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/lock-page/hides-personal-data", Fixture, NULL, fixture_setup, test_lock_hides_personal_data, fixture_teardown);
  g_test_add ("/lock-page/hides-dialogs", Fixture, NULL, fixture_setup, test_lock_hides_dialogs, fixture_teardown);
  g_test_add ("/lock-page/first-passphrase", Fixture, NULL, fixture_setup, test_first_passphrase, fixture_teardown);
  g_test_add ("/idle-monitor/timeout", Fixture, NULL, fixture_setup, test_idle_monitor, fixture_teardown);
  g_test_add ("/idle-monitor/screensaver", Fixture, NULL, fixture_setup, test_idle_monitor_screensaver, fixture_teardown);

  status = g_test_run ();

  /* GTK keeps its session bus connection until exit, which
   * g_test_dbus_down would wait for in vain: stop the daemon only, with
   * the connection told not to take the process down with it. */
  {
    g_autoptr(GDBusConnection) session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

    if (session != NULL)
      g_dbus_connection_set_exit_on_close (session, FALSE);
  }
  g_test_dbus_stop (test_bus);
  return status;
}
