/* tsu-lock-page.c: hides the records until the passphrase is entered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lock page wraps the window's whole content. Locked, the content is
 * hidden and insensitive (unmapped: not drawn, not in the accessibility
 * tree, unable to take focus or shortcuts), and the window title is set to
 * one that names no one, since the title is what the window switcher and
 * the task bar show. The title the app sets while locked is kept and put
 * back on unlock.
 *
 * With no passphrase chosen yet, the same page asks for a new one twice.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsu-lock-page.h"
#include "tsu-passphrase.h"

struct _TsuLockPage
{
  GtkWidget      parent_instance;

  GCancellable  *cancellable;
  char          *passphrase_path;
  GtkWindow     *window;           /* weak; the window whose title we hide */
  char          *saved_title;
  gulong         title_handler;
  GPtrArray     *hidden_windows;   /* dialogs of the window, hidden while locked */
  gboolean       locked;
  gboolean       setup;            /* choosing a first passphrase */
  gboolean       busy;

  /* template children */
  GtkStack      *stack;
  AdwBin        *content_bin;
  AdwStatusPage *status_page;
  GtkWidget     *passphrase_entry;
  GtkWidget     *repeat_entry;
  GtkLabel      *error_label;
  GtkButton     *unlock_button;
  GtkSpinner    *spinner;
};

G_DEFINE_FINAL_TYPE (TsuLockPage, tsu_lock_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTENT,
  PROP_PASSPHRASE_PATH,
  PROP_LOCKED,
  N_PROPS
};

enum {
  UNLOCKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
locked_title (void)
{
  return _("Tsunagu (Locked)");
}

static void
show_error (TsuLockPage *self,
            const char  *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (TsuLockPage *self,
          gboolean     busy)
{
  self->busy = busy;
  /* Read-only rather than insensitive: an insensitive entry loses the
   * focus without GtkText noticing, and the user would have to click back. */
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_entry), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->repeat_entry), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
clear_entries (TsuLockPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_entry), "");
}

/* The app may retitle its window while locked (a load finishing); the
 * locked title stays and the new one is shown after unlocking. */
static void
on_window_title_cb (GtkWindow   *window,
                    GParamSpec  *pspec,
                    TsuLockPage *self)
{
  const char *title = gtk_window_get_title (window);

  if (!self->locked || g_strcmp0 (title, locked_title ()) == 0)
    return;

  g_free (self->saved_title);
  self->saved_title = g_strdup (title);
  gtk_window_set_title (window, locked_title ());
}

static void
hide_window_title (TsuLockPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!GTK_IS_WINDOW (root) || self->window != NULL)
    return;

  g_set_weak_pointer (&self->window, GTK_WINDOW (root));
  g_free (self->saved_title);
  self->saved_title = g_strdup (gtk_window_get_title (self->window));
  gtk_window_set_title (self->window, locked_title ());
  self->title_handler = g_signal_connect_object (self->window, "notify::title",
                                                 G_CALLBACK (on_window_title_cb), self, 0);
}

static void
restore_window_title (TsuLockPage *self)
{
  if (self->window == NULL)
    return;

  g_clear_signal_handler (&self->title_handler, self->window);
  gtk_window_set_title (self->window, self->saved_title);
  g_clear_pointer (&self->saved_title, g_free);
  g_clear_weak_pointer (&self->window);
}

static gboolean
is_transient_for (GtkWindow *window,
                  GtkWindow *parent)
{
  for (GtkWindow *w = gtk_window_get_transient_for (window); w != NULL; w = gtk_window_get_transient_for (w))
    if (w == parent)
      return TRUE;
  return FALSE;
}

/* Dialogs over the window (a visit being edited, preferences) show
 * personal data too: they are hidden with the content and shown again on
 * unlock, with whatever was typed in them intact. */
static void
hide_dialogs (TsuLockPage *self)
{
  g_autoptr(GListModel) toplevels = NULL;
  guint n;

  if (self->window == NULL)
    return;

  toplevels = g_object_ref (gtk_window_get_toplevels ());
  n = g_list_model_get_n_items (toplevels);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != self->window &&
          gtk_widget_get_visible (GTK_WIDGET (window)) &&
          is_transient_for (window, self->window))
        g_ptr_array_add (self->hidden_windows, g_object_ref (window));
    }

  for (guint i = 0; i < self->hidden_windows->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->hidden_windows, i), FALSE);
}

static gboolean
is_toplevel (GtkWidget *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (item == (GObject *) window)
        return TRUE;
    }
  return FALSE;
}

static void
show_dialogs (TsuLockPage *self)
{
  for (guint i = 0; i < self->hidden_windows->len; i++)
    {
      GtkWidget *window = g_ptr_array_index (self->hidden_windows, i);

      /* Skip dialogs the app destroyed while we were locked. */
      if (is_toplevel (window))
        gtk_widget_set_visible (window, TRUE);
    }
  g_ptr_array_set_size (self->hidden_windows, 0);
}

static void
update_mode (TsuLockPage *self)
{
  self->setup = !tsu_passphrase_is_set (self->passphrase_path);

  gtk_widget_set_visible (self->repeat_entry, self->setup);
  if (self->setup)
    {
      adw_status_page_set_title (self->status_page, _("Choose a Passphrase"));
      adw_status_page_set_description (self->status_page,
                                       _("Tsunagu hides the records when you are away. Choose a passphrase of at least 8 characters to show them again. Only you should know it."));
      gtk_button_set_label (self->unlock_button, _("_Set Passphrase"));
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("Tsunagu Is Locked"));
      adw_status_page_set_description (self->status_page,
                                       _("Enter your passphrase to show the records again."));
      gtk_button_set_label (self->unlock_button, _("_Unlock"));
    }
}

/**
 * tsu_lock_page_lock:
 *
 * Hides the content at once (no transition: not one more frame of it is
 * drawn) and asks for the passphrase. Does nothing if already locked.
 */
void
tsu_lock_page_lock (TsuLockPage *self)
{
  g_return_if_fail (TSU_IS_LOCK_PAGE (self));

  if (self->locked)
    return;

  self->locked = TRUE;
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_set_visible_child_name (self->stack, "locked");
  gtk_widget_set_sensitive (GTK_WIDGET (self->content_bin), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->content_bin), FALSE);

  clear_entries (self);
  show_error (self, NULL);
  update_mode (self);
  hide_window_title (self);
  hide_dialogs (self);
  gtk_widget_grab_focus (self->passphrase_entry);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static void
unlock (TsuLockPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Take the focus out of the passphrase entry before it is unmapped, so
   * that it gets its focus-out (and stops its cursor blinking). */
  if (root != NULL)
    gtk_root_set_focus (root, NULL);

  self->locked = FALSE;
  clear_entries (self);
  show_error (self, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->content_bin), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->content_bin), TRUE);
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_visible_child_name (self->stack, "content");
  gtk_widget_child_focus (GTK_WIDGET (self->content_bin), GTK_DIR_TAB_FORWARD);
  show_dialogs (self);
  restore_window_title (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  g_signal_emit (self, signals[UNLOCKED], 0);
}

static void
on_passphrase_checked_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TsuLockPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == tsu_passphrase_set_async)
    ok = tsu_passphrase_set_finish (result, &error);
  else
    ok = tsu_passphrase_verify_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (ok)
    {
      unlock (self);
      return;
    }

  if (g_error_matches (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_WRONG))
    show_error (self, _("Wrong passphrase. Try again."));
  else if (g_error_matches (error, TSU_PASSPHRASE_ERROR, TSU_PASSPHRASE_ERROR_NOT_SET))
    {
      /* Removed behind our back: ask for a new one rather than let anyone in. */
      update_mode (self);
      show_error (self, error->message);
    }
  else
    show_error (self, error->message);

  gtk_widget_grab_focus (self->passphrase_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->passphrase_entry), 0, -1);
}

static void
try_unlock (TsuLockPage *self)
{
  const char *passphrase;

  if (!self->locked || self->busy)
    return;

  passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));
  if (*passphrase == '\0')
    {
      gtk_widget_grab_focus (self->passphrase_entry);
      return;
    }

  if (self->setup)
    {
      const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_entry));

      if (g_utf8_strlen (passphrase, -1) < TSU_PASSPHRASE_MIN_LENGTH)
        {
          show_error (self, _("The passphrase is too short: use at least 8 characters."));
          return;
        }
      if (!g_str_equal (passphrase, repeat))
        {
          show_error (self, _("The two passphrases are not the same."));
          gtk_widget_grab_focus (self->repeat_entry);
          return;
        }
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  if (self->setup)
    tsu_passphrase_set_async (self->passphrase_path, passphrase, self->cancellable,
                              on_passphrase_checked_cb, g_object_ref (self));
  else
    tsu_passphrase_verify_async (self->passphrase_path, passphrase, self->cancellable,
                                 on_passphrase_checked_cb, g_object_ref (self));
}

static void
on_passphrase_activate_cb (TsuLockPage *self,
                           GtkWidget   *entry)
{
  if (self->setup && entry == self->passphrase_entry)
    gtk_widget_grab_focus (self->repeat_entry);
  else
    try_unlock (self);
}

static void
on_passphrase_changed_cb (TsuLockPage *self,
                          GtkEditable *entry)
{
  if (!self->busy)
    show_error (self, NULL);
}

static void
on_unlock_clicked_cb (TsuLockPage *self,
                      GtkButton   *button)
{
  try_unlock (self);
}

GtkWidget *
tsu_lock_page_get_content (TsuLockPage *self)
{
  g_return_val_if_fail (TSU_IS_LOCK_PAGE (self), NULL);
  return adw_bin_get_child (self->content_bin);
}

void
tsu_lock_page_set_content (TsuLockPage *self,
                           GtkWidget   *content)
{
  g_return_if_fail (TSU_IS_LOCK_PAGE (self));
  g_return_if_fail (content == NULL || GTK_IS_WIDGET (content));

  if (adw_bin_get_child (self->content_bin) == content)
    return;
  adw_bin_set_child (self->content_bin, content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

const char *
tsu_lock_page_get_passphrase_path (TsuLockPage *self)
{
  g_return_val_if_fail (TSU_IS_LOCK_PAGE (self), NULL);
  return self->passphrase_path;
}

/* Where the passphrase hash is kept; NULL for the default next to the database. */
void
tsu_lock_page_set_passphrase_path (TsuLockPage *self,
                                   const char  *path)
{
  g_autofree char *new_path = NULL;

  g_return_if_fail (TSU_IS_LOCK_PAGE (self));

  new_path = path != NULL ? g_strdup (path) : tsu_passphrase_default_path ();
  if (g_strcmp0 (new_path, self->passphrase_path) == 0)
    return;

  g_free (self->passphrase_path);
  self->passphrase_path = g_steal_pointer (&new_path);
  if (self->locked && !self->busy)
    update_mode (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSPHRASE_PATH]);
}

gboolean
tsu_lock_page_get_locked (TsuLockPage *self)
{
  g_return_val_if_fail (TSU_IS_LOCK_PAGE (self), FALSE);
  return self->locked;
}

GtkWidget *
tsu_lock_page_new (void)
{
  return g_object_new (TSU_TYPE_LOCK_PAGE, NULL);
}

static void
tsu_lock_page_dispose (GObject *object)
{
  TsuLockPage *self = TSU_LOCK_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->window != NULL)
    g_clear_signal_handler (&self->title_handler, self->window);
  g_clear_weak_pointer (&self->window);
  g_clear_pointer (&self->hidden_windows, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_LOCK_PAGE);

  G_OBJECT_CLASS (tsu_lock_page_parent_class)->dispose (object);
}

static void
tsu_lock_page_finalize (GObject *object)
{
  TsuLockPage *self = TSU_LOCK_PAGE (object);

  g_free (self->passphrase_path);
  g_free (self->saved_title);

  G_OBJECT_CLASS (tsu_lock_page_parent_class)->finalize (object);
}

static void
tsu_lock_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsuLockPage *self = TSU_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      g_value_set_object (value, tsu_lock_page_get_content (self));
      break;
    case PROP_PASSPHRASE_PATH:
      g_value_set_string (value, self->passphrase_path);
      break;
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_lock_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsuLockPage *self = TSU_LOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      tsu_lock_page_set_content (self, g_value_get_object (value));
      break;
    case PROP_PASSPHRASE_PATH:
      tsu_lock_page_set_passphrase_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_lock_page_class_init (TsuLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_lock_page_dispose;
  object_class->finalize = tsu_lock_page_finalize;
  object_class->get_property = tsu_lock_page_get_property;
  object_class->set_property = tsu_lock_page_set_property;

  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSPHRASE_PATH] =
    g_param_spec_string ("passphrase-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuLockPage::unlocked:
   *
   * The right passphrase was entered (or a first one chosen) and the
   * content is shown again.
   */
  signals[UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, content_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, passphrase_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, TsuLockPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_passphrase_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_clicked_cb);
}

static void
tsu_lock_page_init (TsuLockPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->hidden_windows = g_ptr_array_new_with_free_func (g_object_unref);
  self->passphrase_path = tsu_passphrase_default_path ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
