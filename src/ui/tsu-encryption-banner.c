/* tsu-encryption-banner.c: a warning while the records are on an unencrypted disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shown at the top of the window, and not dismissable: as long as the data
 * folder is not on an encrypted volume, a lost laptop means lost records,
 * and the coordinator and the office should be reminded of it every day.
 * "What to Do" opens the full advice. (libadwaita 1.2 has no AdwBanner; a
 * GtkInfoBar in a revealer does the same job.)
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-encryption-banner.h"

struct _TsuEncryptionBanner
{
  GtkWidget            parent_instance;

  GCancellable        *cancellable;
  TsuEncryptionStatus  status;
  char                *advice;

  /* template children */
  GtkRevealer         *revealer;
  GtkInfoBar          *info_bar;
  GtkLabel            *label;
};

G_DEFINE_FINAL_TYPE (TsuEncryptionBanner, tsu_encryption_banner, GTK_TYPE_WIDGET)

/**
 * tsu_encryption_banner_set_info:
 * @info: the result of a check
 *
 * Shows the warning unless @info says the data is encrypted.
 */
void
tsu_encryption_banner_set_info (TsuEncryptionBanner     *self,
                                const TsuEncryptionInfo *info)
{
  const char *text;

  g_return_if_fail (TSU_IS_ENCRYPTION_BANNER (self));
  g_return_if_fail (info != NULL);

  self->status = info->status;
  g_free (self->advice);
  self->advice = tsu_encryption_info_advice (info);

  switch (info->status)
    {
    case TSU_ENCRYPTION_NONE:
      text = _("The records on this laptop are not encrypted. If it is lost, anyone can read them.");
      break;
    case TSU_ENCRYPTION_MEMORY:
      text = _("The records are kept in memory only and will be lost when the computer is switched off.");
      break;
    case TSU_ENCRYPTION_UNKNOWN:
      text = _("Tsunagu cannot tell whether the records on this laptop are encrypted.");
      break;
    case TSU_ENCRYPTION_ENCRYPTED:
    default:
      text = NULL;
      break;
    }

  if (text != NULL)
    gtk_label_set_text (self->label, text);
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL);
}

static void
on_checked_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TsuEncryptionBanner) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsuEncryptionInfo) info = tsu_privacy_check_encryption_finish (result, &error);

  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Failed to check the encryption of the data folder: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  g_debug ("Data folder %s: %s on %s (%s)", info->path,
           tsu_encryption_status_to_string (info->status), info->mount_point, info->fs_type);
  tsu_encryption_banner_set_info (self, info);
}

/**
 * tsu_encryption_banner_check:
 * @path: the database file (or any path in the data folder)
 *
 * Checks in a thread, then shows or hides the warning.
 */
void
tsu_encryption_banner_check (TsuEncryptionBanner *self,
                             const char          *path)
{
  g_return_if_fail (TSU_IS_ENCRYPTION_BANNER (self));
  g_return_if_fail (path != NULL);

  tsu_privacy_check_encryption_async (path, self->cancellable, on_checked_cb, g_object_ref (self));
}

TsuEncryptionStatus
tsu_encryption_banner_get_status (TsuEncryptionBanner *self)
{
  g_return_val_if_fail (TSU_IS_ENCRYPTION_BANNER (self), TSU_ENCRYPTION_UNKNOWN);
  return self->status;
}

const char *
tsu_encryption_banner_get_advice (TsuEncryptionBanner *self)
{
  g_return_val_if_fail (TSU_IS_ENCRYPTION_BANNER (self), NULL);
  return self->advice;
}

static void
on_info_bar_response_cb (TsuEncryptionBanner *self,
                         int                  response,
                         GtkInfoBar          *info_bar)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  if (self->advice == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Protect the Records on This Laptop"),
                                   self->advice);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
tsu_encryption_banner_new (void)
{
  return g_object_new (TSU_TYPE_ENCRYPTION_BANNER, NULL);
}

static void
tsu_encryption_banner_dispose (GObject *object)
{
  TsuEncryptionBanner *self = TSU_ENCRYPTION_BANNER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_ENCRYPTION_BANNER);

  G_OBJECT_CLASS (tsu_encryption_banner_parent_class)->dispose (object);
}

static void
tsu_encryption_banner_finalize (GObject *object)
{
  TsuEncryptionBanner *self = TSU_ENCRYPTION_BANNER (object);

  g_free (self->advice);

  G_OBJECT_CLASS (tsu_encryption_banner_parent_class)->finalize (object);
}

static void
tsu_encryption_banner_class_init (TsuEncryptionBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_encryption_banner_dispose;
  object_class->finalize = tsu_encryption_banner_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-encryption-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuEncryptionBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, TsuEncryptionBanner, info_bar);
  gtk_widget_class_bind_template_child (widget_class, TsuEncryptionBanner, label);
  gtk_widget_class_bind_template_callback (widget_class, on_info_bar_response_cb);
}

static void
tsu_encryption_banner_init (TsuEncryptionBanner *self)
{
  self->cancellable = g_cancellable_new ();
  self->status = TSU_ENCRYPTION_UNKNOWN;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Hidden until a check says otherwise: no false alarm while checking. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
