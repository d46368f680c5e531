/* test-encryption-banner.c: the warning shows for every status but "encrypted"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tsu-encryption-banner.h"

static void
test_statuses (void)
{
  g_autoptr(GtkWidget) banner = g_object_ref_sink (tsu_encryption_banner_new ());
  TsuEncryptionInfo info = { 0 };
  static const struct {
    TsuEncryptionStatus status;
    gboolean            shown;
  } cases[] = {
    { TSU_ENCRYPTION_NONE, TRUE },
    { TSU_ENCRYPTION_ENCRYPTED, FALSE },
    { TSU_ENCRYPTION_UNKNOWN, TRUE },
    { TSU_ENCRYPTION_MEMORY, TRUE },
  };

  /* Nothing is claimed before a check has run. */
  g_assert_false (gtk_widget_get_visible (banner));

  info.path = (char *) "/home/coordinator/.local/share/jp.tsunagu.Tsunagu/tsunagu.db";
  info.mount_point = (char *) "/";
  info.fs_type = (char *) "ext4";
  info.mechanism = (char *) "LUKS";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *revealer = gtk_widget_get_first_child (banner);

      info.status = cases[i].status;
      tsu_encryption_banner_set_info (TSU_ENCRYPTION_BANNER (banner), &info);

      g_assert_cmpint (tsu_encryption_banner_get_status (TSU_ENCRYPTION_BANNER (banner)), ==, cases[i].status);
      g_assert_cmpint (gtk_widget_get_visible (banner), ==, cases[i].shown);
      g_assert_cmpint (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), ==, cases[i].shown);
      /* The advice names the folder, so the IT contact knows what to move. */
      g_assert_nonnull (strstr (tsu_encryption_banner_get_advice (TSU_ENCRYPTION_BANNER (banner)), info.path));
    }
}

static void
test_real_check (void)
{
  g_autoptr(GtkWidget) banner = g_object_ref_sink (tsu_encryption_banner_new ());
  g_autofree char *cwd = g_get_current_dir ();
  gint64 start = g_get_monotonic_time ();

  /* Whatever this machine's disk is, the check finishes and gives a status
   * that agrees with the core's answer. */
  tsu_encryption_banner_check (TSU_ENCRYPTION_BANNER (banner), cwd);
  while (tsu_encryption_banner_get_advice (TSU_ENCRYPTION_BANNER (banner)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }

  {
    g_autoptr(TsuEncryptionInfo) info = tsu_privacy_check_encryption (cwd);

    g_assert_cmpint (tsu_encryption_banner_get_status (TSU_ENCRYPTION_BANNER (banner)), ==, info->status);
    g_assert_cmpint (gtk_widget_get_visible (banner), ==, info->status != TSU_ENCRYPTION_ENCRYPTED);
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/encryption-banner/statuses", test_statuses);
  g_test_add_func ("/encryption-banner/real-check", test_real_check);

  return g_test_run ();
}
