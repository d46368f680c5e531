/* tsu-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-window.h"

struct _TsuApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  char           *screenshot_path;
  int             screenshot_delay_ms;
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (TsuApplication, tsu_application, ADW_TYPE_APPLICATION)

TsuApplication *
tsu_application_new (void)
{
  return g_object_new (TSU_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

static int
tsu_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  TsuApplication *self = TSU_APPLICATION (app);

  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  g_variant_dict_lookup (options, "screenshot", "^ay", &self->screenshot_path);
  g_variant_dict_lookup (options, "screenshot-delay", "i", &self->screenshot_delay_ms);
  self->demo = g_variant_dict_contains (options, "demo");

  /* A second instance with another database would silently show the first
   * one's window; run this one on its own instead. */
  if (self->db_path != NULL || self->screenshot_path != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
tsu_application_activate (GApplication *app)
{
  TsuApplication *self = TSU_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      g_autofree char *path = self->db_path != NULL ? g_strdup (self->db_path)
                                                    : tsu_store_default_path ();

      window = g_object_new (TSU_TYPE_WINDOW,
                             "application", app,
                             NULL);
      tsu_window_open_database (TSU_WINDOW (window), path, self->demo);
      if (self->screenshot_path != NULL)
        tsu_window_take_screenshot_later (TSU_WINDOW (window), self->screenshot_path,
                                          self->screenshot_delay_ms > 0 ? self->screenshot_delay_ms : 2500,
                                          TRUE);
    }

  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "Tsunagu developers", NULL };

  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "transient-for", gtk_application_get_active_window (app),
                "application-name", _("Tsunagu"),
                "application-icon", APP_ID,
                "developer-name", _("Tsunagu developers"),
                "version", PACKAGE_VERSION,
                "developers", developers,
                "copyright", "© 2026 Tsunagu developers",
                "license-type", GTK_LICENSE_GPL_3_0,
                "comments", _("Outreach visits and household records for community welfare coordinators"),
                "translator-credits", _("translator-credits"),
                NULL);

  /* The demo city and the maps stand on public data that asks for credit. */
  adw_about_window_add_legal_section (about, _("Demo city: town points"),
                                      "「Geolonia 住所データ」", GTK_LICENSE_CUSTOM,
                                      "CC BY 4.0, derived from 国土交通省 位置参照情報");
  adw_about_window_add_legal_section (about, _("Demo city: households per area"),
                                      "出典：政府統計の総合窓口(e-Stat) 国勢調査 小地域境界データ(平成27年)を加工して作成",
                                      GTK_LICENSE_CUSTOM, NULL);
  adw_about_window_add_legal_section (about, _("City outline"),
                                      "国土数値情報（行政区域データ）（国土交通省）を加工して作成",
                                      GTK_LICENSE_CUSTOM, NULL);
  adw_about_window_add_legal_section (about, _("Background maps"),
                                      "地理院タイル（国土地理院） · © OpenStreetMap contributors",
                                      GTK_LICENSE_CUSTOM, NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL },
  { "about", about_action, NULL, NULL, NULL },
};

static void
tsu_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (tsu_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
tsu_application_finalize (GObject *object)
{
  TsuApplication *self = TSU_APPLICATION (object);

  g_free (self->db_path);
  g_free (self->screenshot_path);

  G_OBJECT_CLASS (tsu_application_parent_class)->finalize (object);
}

static void
tsu_application_class_init (TsuApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = tsu_application_finalize;
  app_class->activate = tsu_application_activate;
  app_class->startup = tsu_application_startup;
  app_class->handle_local_options = tsu_application_handle_local_options;
}

static void
tsu_application_init (TsuApplication *self)
{
  static const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Use the database at PATH"), N_("PATH") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Create the demo city if the database is empty"), NULL },
    { "screenshot", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, NULL, "Save a PNG of the window and quit", "PATH" },
    { "screenshot-delay", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, NULL, "Milliseconds to wait before the screenshot", "MS" },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
