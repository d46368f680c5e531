/* tsu-changeset.c: reading, validating and writing changeset files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A changeset is one JSON object (docs/changeset-format.md). It is written
 * as a stream: the operations come straight from the operation log (their
 * "fields" text is copied as logged), and the HMAC is computed over exactly
 * the bytes written, up to the signature member at the end. Reading parses
 * the header, then each operation once: it is checked and applied in the
 * same step inside one transaction, which the first bad operation rolls
 * back.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "tsu-changeset.h"
#include "tsu-changeset-private.h"
#include "tsu-hlc.h"
#include "tsu-schema.h"
#include "tsu-store-purge.h"

#define SIGNATURE_PREFIX ",\"signature\":\"hmac-sha256:"
#define SIGNATURE_HEX_LEN 64
#define KEY_BYTES 32
/* Replaces bytes that are not UTF-8 while locating them: U+10FFFD, a
 * private-use character that no record text is expected to hold. */
#define BAD_UTF8_MARK "\xf4\x8f\xbf\xbd"

typedef struct
{
  EVP_MAC_CTX *ctx;
  char         hex[SIGNATURE_HEX_LEN + 1];
} TsuHmac;

static void
hmac_free (TsuHmac *hmac)
{
  EVP_MAC_CTX_free (hmac->ctx);
  g_free (hmac);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuHmac, hmac_free)

static void
hmac_update (TsuHmac      *hmac,
             const guchar *data,
             gsize         length)
{
  EVP_MAC_update (hmac->ctx, data, length);
}

/* The MAC in lowercase hex; the context is finished after this. */
static const char *
hmac_get_string (TsuHmac *hmac)
{
  guchar digest[EVP_MAX_MD_SIZE];
  gsize length = 0;

  if (EVP_MAC_final (hmac->ctx, digest, &length, sizeof digest) != 1 || length * 2 != SIGNATURE_HEX_LEN)
    memset (hmac->hex, 'x', SIGNATURE_HEX_LEN);   /* matches no signature */
  else
    for (gsize i = 0; i < length; i++)
      {
        hmac->hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
        hmac->hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 15];
      }
  hmac->hex[SIGNATURE_HEX_LEN] = '\0';
  return hmac->hex;
}

/* Writing */

typedef struct
{
  GOutputStream *out;
  TsuHmac       *hmac;
  GString       *buf;
  guint          n_operations;
} Writer;

static gboolean
writer_flush (Writer  *w,
              GError **error)
{
  if (w->buf->len == 0)
    return TRUE;
  hmac_update (w->hmac, (const guchar *) w->buf->str, w->buf->len);
  if (!g_output_stream_write_all (w->out, w->buf->str, w->buf->len, NULL, NULL, error))
    return FALSE;
  g_string_truncate (w->buf, 0);
  return TRUE;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  /* Copy runs of plain bytes at once; escape only what JSON requires. */
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; )
    {
      const unsigned char *run = p;

      while (*p != '\0' && *p != '"' && *p != '\\' && *p >= 0x20)
        p++;
      g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) *p);
        }
      else
        g_string_append_printf (out, "\\u%04x", *p);
      p++;
    }
  g_string_append_c (out, '"');
}

static void
append_id_list (GString            *out,
                const char * const *ids)
{
  g_string_append_c (out, '[');
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, ids[i]);
    }
  g_string_append_c (out, ']');
}

static gboolean
write_op (const TsuOpRow  *row,
          gpointer         user_data,
          GError         **error)
{
  Writer *w = user_data;

  if (w->n_operations > 0)
    g_string_append (w->buf, ",\n");
  g_string_append (w->buf, "{\"hlc\":");
  append_json_string (w->buf, row->hlc);
  g_string_append (w->buf, ",\"actor\":");
  append_json_string (w->buf, row->actor);
  g_string_append (w->buf, ",\"table\":");
  append_json_string (w->buf, row->table);
  g_string_append (w->buf, ",\"id\":");
  append_json_string (w->buf, row->record_id);
  g_string_append (w->buf, ",\"fields\":");
  g_string_append (w->buf, row->fields);
  g_string_append_c (w->buf, '}');
  w->n_operations++;

  if (w->buf->len >= 256 * 1024)
    return writer_flush (w, error);
  return TRUE;
}

static guchar *
key_from_hex (const char *hex,
              gsize      *length)
{
  gsize n;
  guchar *key;

  if (hex == NULL || (n = strlen (hex)) != KEY_BYTES * 2)
    return NULL;
  key = g_malloc (n / 2);
  for (gsize i = 0; i < n / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_free (key);
          return NULL;
        }
      key[i] = (guchar) (hi << 4 | lo);
    }
  *length = n / 2;
  return key;
}

/* HMAC-SHA256 of the payload, from OpenSSL's libcrypto: the payload is
 * most of a changeset's bytes, and its SHA-256 uses the processor's SHA
 * instructions where there are any (about seven times faster than GLib's
 * here, which made the MAC a quarter of a large export). */
static TsuHmac *
hmac_for_key (const char  *key_hex,
              GError     **error)
{
  gsize key_len = 0;
  g_autofree guchar *key = key_from_hex (key_hex, &key_len);
  char digest_name[] = "SHA256";
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_DIGEST, digest_name, 0),
    OSSL_PARAM_construct_end (),
  };
  EVP_MAC *mac;
  TsuHmac *hmac;

  if (key == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH,
                   _("The device signing key is missing or damaged"));
      return NULL;
    }
  mac = EVP_MAC_fetch (NULL, "HMAC", NULL);
  hmac = g_new0 (TsuHmac, 1);
  hmac->ctx = mac != NULL ? EVP_MAC_CTX_new (mac) : NULL;
  EVP_MAC_free (mac);
  if (hmac->ctx == NULL || EVP_MAC_init (hmac->ctx, key, key_len, params) != 1)
    {
      hmac_free (hmac);
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("The encryption library could not be started"));
      return NULL;
    }
  return hmac;
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
tsu_store_is_hub (TsuStore *store)
{
  g_autofree char *role = tsu_store_sync_get_state (store, "role");
  return g_strcmp0 (role, "hub") == 0;
}

gboolean
tsu_sync_is_registered (TsuStore *store)
{
  g_autofree char *role = tsu_store_sync_get_state (store, "role");
  return g_strcmp0 (role, "device") == 0;
}

static gboolean
finish_writer (Writer   *w,
               GError  **error)
{
  g_autoptr(GString) tail = g_string_new (NULL);

  g_string_append (w->buf, "\n]");
  if (!writer_flush (w, error))
    return FALSE;
  g_string_append_printf (tail, SIGNATURE_PREFIX "%s\"}\n", hmac_get_string (w->hmac));
  return g_output_stream_write_all (w->out, tail->str, tail->len, NULL, NULL, error);
}

gboolean
_tsu_changeset_export_payload (TsuStore       *store,
                               const char     *device_id,
                               GOutputStream  *out,
                               guint          *n_operations,
                               GError        **error)
{
  g_autoptr(GString) buf = g_string_sized_new (300 * 1024);
  g_autofree char *created = now_iso ();
  Writer w = { out, NULL, buf, 0 };
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  g_string_append_printf (buf, "{\"format\":\"%s\",\"version\":%d,\"kind\":",
                          TSU_CHANGESET_FORMAT, TSU_CHANGESET_PAYLOAD_VERSION);

  if (device_id == NULL)
    {
      g_autofree char *key = tsu_store_sync_get_state (store, "key");
      g_autofree char *hub = tsu_store_sync_get_state (store, "hub_id");
      g_autofree char *device = tsu_store_sync_get_state (store, "device_id");
      g_autofree char *ack = tsu_store_sync_get_state (store, "ack_hlc");
      g_autofree char *hub_seq = tsu_store_sync_get_state (store, "hub_seq");
      g_autofree char *scope = tsu_store_sync_get_state (store, "scope_districts");
      g_auto(GStrv) scope_ids = NULL;

      if (!tsu_sync_is_registered (store))
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_AUTH,
                       _("This database is not registered with a hub: import the device key from the central office first"));
          return FALSE;
        }
      w.hmac = hmac_for_key (key, error);
      if (w.hmac == NULL)
        return FALSE;

      scope_ids = scope != NULL && *scope != '\0' ? g_strsplit (scope, ",", -1) : NULL;
      append_json_string (buf, TSU_CHANGESET_TO_HUB);
      g_string_append (buf, ",\"hub\":");
      append_json_string (buf, hub);
      g_string_append (buf, ",\"device\":");
      append_json_string (buf, device);
      g_string_append (buf, ",\"replica\":");
      append_json_string (buf, tsu_store_get_replica_id (store));
      g_string_append (buf, ",\"created\":");
      append_json_string (buf, created);
      g_string_append_printf (buf, ",\"ack\":{\"hub_seq\":%s,\"districts\":",
                              hub_seq != NULL ? hub_seq : "0");
      append_id_list (buf, (const char * const *) scope_ids);
      g_string_append (buf, "},\"operations\":[\n");

      ok = tsu_store_sync_foreach_unacked (store, ack, write_op, &w, error);
    }
  else
    {
      g_autoptr(JsonObject) device = tsu_store_hub_get_device (store, device_id, error);
      g_auto(GStrv) districts = NULL;
      g_auto(GStrv) acked_districts = NULL;
      g_autofree char *watermark = NULL;
      const char *replica;
      gint64 hub_seq = 0;
      g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_free);

      if (device == NULL)
        return FALSE;
      w.hmac = hmac_for_key (json_object_get_string_member (device, "key"), error);
      if (w.hmac == NULL)
        return FALSE;

      districts = g_strsplit (json_object_get_string_member (device, "districts"), ",", -1);
      acked_districts = g_strsplit (json_object_get_string_member_with_default (device, "acked_districts", ""), ",", -1);
      replica = json_object_get_string_member_with_default (device, "replica", NULL);
      watermark = tsu_store_sync_replica_watermark (store, replica);

      append_json_string (buf, TSU_CHANGESET_TO_DEVICE);
      g_string_append (buf, ",\"hub\":");
      append_json_string (buf, tsu_store_get_replica_id (store));
      g_string_append (buf, ",\"device\":");
      append_json_string (buf, device_id);
      g_string_append (buf, ",\"replica\":");
      append_json_string (buf, tsu_store_get_replica_id (store));
      g_string_append (buf, ",\"created\":");
      append_json_string (buf, created);
      g_string_append (buf, ",\"ack\":{\"hlc\":");
      append_json_string (buf, watermark);
      g_string_append (buf, "},\"scope\":{\"districts\":");
      append_id_list (buf, (const char * const *) districts);

      /* hub_seq is only known once the selection has been made; it goes
       * after the operations, inside the signed bytes. */
      g_string_append (buf, "},\"operations\":[\n");
      ok = tsu_store_hub_foreach_for_device (store, (const char * const *) districts,
                                             json_object_get_int_member (device, "acked_seq"),
                                             (const char * const *) acked_districts,
                                             &hub_seq, left, write_op, &w, error);
      if (ok)
        {
          g_ptr_array_add (left, NULL);
          g_string_append (buf, "\n],\"left\":");
          append_id_list (buf, (const char * const *) left->pdata);
          g_string_append (buf, ",\"hub_seq\":");
          g_string_append_printf (buf, "%" G_GINT64_FORMAT, hub_seq);
          /* finish_writer closes an array: reopen an empty one to keep the
           * writer simple would be wrong, so finish here. */
          if (!writer_flush (&w, error))
            ok = FALSE;
          else
            {
              g_autoptr(GString) tail = g_string_new (NULL);

              g_string_append_printf (tail, SIGNATURE_PREFIX "%s\"}\n", hmac_get_string (w.hmac));
              ok = g_output_stream_write_all (out, tail->str, tail->len, NULL, NULL, error) &&
                   tsu_store_hub_note_export (store, device_id, error);
            }
        }
      if (ok && n_operations != NULL)
        *n_operations = w.n_operations;
      hmac_free (w.hmac);
      return ok;
    }

  ok = ok && finish_writer (&w, error);
  if (ok && n_operations != NULL)
    *n_operations = w.n_operations;
  hmac_free (w.hmac);
  return ok;
}

gboolean
tsu_changeset_export_file (TsuStore       *store,
                           const char     *device_id,
                           const char     *path,
                           guint          *n_operations,
                           GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;

  /* g_file_replace writes beside the file and renames it into place on
   * close, so a failed export never leaves half a changeset. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION | G_FILE_CREATE_PRIVATE,
                        NULL, &local_error);
  if (out == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not write “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  if (!tsu_changeset_export (store, device_id, G_OUTPUT_STREAM (out), n_operations, error))
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      /* Closing with a cancelled cancellable discards the temporary file. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      return FALSE;
    }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO,
                   _("Could not write “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Reading */

/* Sets a translated error in the store's domain and returns FALSE, so a
 * check reads "return _tsu_changeset_fail (…)". Shared with the envelope. */
gboolean
_tsu_changeset_fail (GError     **error,
                     int          code,
                     const char  *format,
                     ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TSU_STORE_ERROR, code, message);
  return FALSE;
}

/* Finds the bytes not valid UTF-8 and names the operation and field that
 * hold them, by parsing a copy in which they are marked. Only runs on a
 * file that is already known to be bad. */
static void
report_bad_utf8 (const char  *data,
                 gsize        length,
                 GError     **error)
{
  g_autoptr(GString) fixed = g_string_sized_new (length + 16);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *p = data;
  const char *end = data + length;
  gsize first_bad = 0;
  gboolean found = FALSE;
  JsonNode *root;

  while (p < end)
    {
      const char *valid_end;

      if (g_utf8_validate_len (p, end - p, &valid_end))
        {
          g_string_append_len (fixed, p, end - p);
          break;
        }
      g_string_append_len (fixed, p, valid_end - p);
      if (!found)
        first_bad = (gsize) (valid_end - data);
      found = TRUE;
      g_string_append (fixed, BAD_UTF8_MARK);
      p = valid_end + 1;
    }

  if (json_parser_load_from_data (parser, fixed->str, (gssize) fixed->len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *ops_node = json_object_get_member (json_node_get_object (root), "operations");
      JsonArray *ops = ops_node != NULL && JSON_NODE_HOLDS_ARRAY (ops_node) ? json_node_get_array (ops_node) : NULL;

      for (guint i = 0; ops != NULL && i < json_array_get_length (ops); i++)
        {
          JsonNode *op_node = json_array_get_element (ops, i);
          JsonObject *op, *fields;
          JsonNode *fields_node;
          g_autoptr(GList) members = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (op_node))
            continue;
          op = json_node_get_object (op_node);
          fields_node = json_object_get_member (op, "fields");
          if (fields_node == NULL || !JSON_NODE_HOLDS_OBJECT (fields_node))
            continue;
          fields = json_node_get_object (fields_node);
          members = json_object_get_members (fields);
          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *value = json_object_get_member (fields, l->data);

              if (strstr (l->data, BAD_UTF8_MARK) != NULL ||
                  (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
                   strstr (json_node_get_string (value), BAD_UTF8_MARK) != NULL))
                {
                  _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                        _("operations[%u], field “%s”: the text is not valid UTF-8. Nothing was imported."),
                        i, strstr (l->data, BAD_UTF8_MARK) != NULL ? "?" : (const char *) l->data);
                  return;
                }
            }
        }
    }

  _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
        _("The changeset is not valid UTF-8 text (first bad byte at offset %zu). Nothing was imported."),
        first_bad);
}

/* The signed bytes are everything before the signature member, which must
 * close the file. Returns their length, or 0 if there is no signature. */
static gsize
find_signature (const char *data,
                gsize       length,
                char        hex[SIGNATURE_HEX_LEN + 1])
{
  gsize end = length;
  gsize prefix_len = strlen (SIGNATURE_PREFIX);
  gsize start;

  while (end > 0 && g_ascii_isspace (data[end - 1]))
    end--;
  if (end < 2 || data[end - 1] != '}' || data[end - 2] != '"')
    return 0;
  end -= 2;
  if (end < SIGNATURE_HEX_LEN + prefix_len)
    return 0;
  start = end - SIGNATURE_HEX_LEN;
  for (gsize i = start; i < end; i++)
    if (!g_ascii_isxdigit (data[i]))
      return 0;
  if (memcmp (data + start - prefix_len, SIGNATURE_PREFIX, prefix_len) != 0)
    return 0;
  memcpy (hex, data + start, SIGNATURE_HEX_LEN);
  hex[SIGNATURE_HEX_LEN] = '\0';
  return start - prefix_len;
}

static gboolean
signature_matches (const char *key_hex,
                   const char *data,
                   gsize       signed_len,
                   const char *hex)
{
  g_autoptr(TsuHmac) hmac = hmac_for_key (key_hex, NULL);
  const char *expected;
  guint diff = 0;

  if (hmac == NULL)
    return FALSE;
  hmac_update (hmac, (const guchar *) data, signed_len);
  expected = hmac_get_string (hmac);
  /* Compare every byte, so the time taken says nothing about the key. */
  for (guint i = 0; i < SIGNATURE_HEX_LEN; i++)
    diff |= (guint) (g_ascii_tolower (expected[i]) ^ g_ascii_tolower (hex[i]));
  return diff == 0;
}

const char *
_tsu_changeset_get_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}


gboolean
_tsu_changeset_check_format (JsonObject  *root,
                             gint64       max_version,
                             gint64      *version,
                             GError     **error)
{
  const char *format = _tsu_changeset_get_string (root, "format");
  JsonNode *version_node;

  if (g_strcmp0 (format, TSU_CHANGESET_FORMAT) != 0)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("This file is not a Tsunagu changeset (its format is “%s”, expected “%s”)"),
                 format != NULL ? format : _("missing"), TSU_CHANGESET_FORMAT);
  version_node = json_object_get_member (root, "version");
  if (version_node == NULL || !JSON_NODE_HOLDS_VALUE (version_node) ||
      json_node_get_value_type (version_node) != G_TYPE_INT64 ||
      (*version = json_node_get_int (version_node)) < 1)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's format version is missing or invalid"));
  if (*version > max_version)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_TOO_NEW,
                 _("This changeset has format version %lld, but this version of Tsunagu understands only up to version %d. Update Tsunagu to import it. Nothing was imported."),
                 (long long) *version, (int) max_version);
  return TRUE;
}

static const char *
node_kind (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return _("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("a list");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return _("text");
    case G_TYPE_INT64: return _("a whole number");
    case G_TYPE_DOUBLE: return _("a number");
    case G_TYPE_BOOLEAN: return _("true or false");
    default: return _("an unknown value");
    }
}

static gboolean
valid_date (const char *s,
            gsize       len)
{
  int y, m, d;

  if (len != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  y = atoi (s);
  m = atoi (s + 5);
  d = atoi (s + 8);
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && g_date_valid_dmy (d, m, y);
}

static gboolean
valid_datetime (const char *s)
{
  gsize len = strlen (s);

  if ((len != 16 && len != 19) || !valid_date (s, 10) || s[10] != 'T' || s[13] != ':')
    return FALSE;
  if (!g_ascii_isdigit (s[11]) || !g_ascii_isdigit (s[12]) || !g_ascii_isdigit (s[14]) || !g_ascii_isdigit (s[15]))
    return FALSE;
  if (atoi (s + 11) > 23 || atoi (s + 14) > 59)
    return FALSE;
  if (len == 19 && (s[16] != ':' || !g_ascii_isdigit (s[17]) || !g_ascii_isdigit (s[18]) || atoi (s + 17) > 59))
    return FALSE;
  return TRUE;
}

/* The value of one field, checked against the schema. */
static gboolean
check_value (guint                index,
             const TsuTableInfo  *table,
             const char          *id,
             const char          *field,
             JsonNode            *value,
             GError             **error)
{
  const TsuFieldInfo *info;
  GType type = G_TYPE_INVALID;
  const char *expected = NULL;

  if (g_str_equal (field, "deleted"))
    {
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        return TRUE;
      return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                   _("operations[%u] (%s %s), field “%s”: expected true or false, found %s"),
                   index, table->name, id, field, node_kind (value));
    }

  info = tsu_table_lookup_field (table, field);
  if (info == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("operations[%u] (%s %s): “%s” records have no field “%s”"),
                 index, table->name, id, table->name, field);

  if (JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (value))
    type = json_node_get_value_type (value);

  switch (info->type)
    {
    case TSU_FIELD_TEXT:
      if (type == G_TYPE_STRING)
        return TRUE;
      expected = _("text");
      break;
    case TSU_FIELD_INT:
      if (type == G_TYPE_INT64)
        {
          gint64 v = json_node_get_int (value);

          if (v < info->min || v > info->max)
            return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                         _("operations[%u] (%s %s), field “%s”: %lld is outside the allowed range %.0f to %.0f"),
                         index, table->name, id, field, (long long) v, info->min, info->max);
          return TRUE;
        }
      expected = _("a whole number");
      break;
    case TSU_FIELD_REAL:
      if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
        {
          double v = type == G_TYPE_INT64 ? (double) json_node_get_int (value) : json_node_get_double (value);

          if (!isfinite (v) || v < info->min || v > info->max)
            return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                         _("operations[%u] (%s %s), field “%s”: %g is outside the allowed range %g to %g"),
                         index, table->name, id, field, v, info->min, info->max);
          return TRUE;
        }
      expected = _("a number");
      break;
    case TSU_FIELD_BOOL:
      if (type == G_TYPE_BOOLEAN)
        return TRUE;
      expected = _("true or false");
      break;
    case TSU_FIELD_DATE:
      if (type == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (value);

          if (valid_date (s, strlen (s)))
            return TRUE;
          return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                       _("operations[%u] (%s %s), field “%s”: “%s” is not a date (YYYY-MM-DD)"),
                       index, table->name, id, field, s);
        }
      expected = _("a date");
      break;
    case TSU_FIELD_DATETIME:
      if (type == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (value);

          if (valid_datetime (s))
            return TRUE;
          return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                       _("operations[%u] (%s %s), field “%s”: “%s” is not a date and time (YYYY-MM-DDTHH:MM)"),
                       index, table->name, id, field, s);
        }
      expected = _("a date and time");
      break;
    case TSU_FIELD_REF:
      if (type == G_TYPE_STRING)
        {
          if (g_uuid_string_is_valid (json_node_get_string (value)))
            return TRUE;
          return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                       _("operations[%u] (%s %s), field “%s”: “%s” is not a record id"),
                       index, table->name, id, field, json_node_get_string (value));
        }
      expected = _("a record id");
      break;
    default:
      break;
    }

  return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
               _("operations[%u] (%s %s), field “%s”: expected %s, found %s"),
               index, table->name, id, field, expected, node_kind (value));
}

typedef struct
{
  const TsuTableInfo *table;
  const char         *id;
  const char         *hlc;
  const char         *actor;
  JsonObject         *fields;
} ParsedOp;

/* The part of validation that needs no database. */
static gboolean
check_operation (JsonNode     *node,
                 guint         index,
                 const char   *sender_replica,
                 gboolean      own_ops_only,
                 gint64        now_ms,
                 ParsedOp     *op,
                 GError      **error)
{
  JsonObject *object;
  JsonNode *member;
  TsuHlc hlc;
  g_autoptr(GList) members = NULL;
  const char *table_name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u] is not a JSON object"), index);
  object = json_node_get_object (node);

  op->hlc = _tsu_changeset_get_string (object, "hlc");
  if (op->hlc == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u]: “hlc” is missing or not text"), index);
  if (!tsu_hlc_parse (op->hlc, &hlc))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u]: “%s” is not a valid timestamp"), index, op->hlc);
  if (hlc.physical_ms > now_ms + TSU_CHANGESET_MAX_SKEW_MS)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_FUTURE,
                 _("operations[%u]: its timestamp %s is %lld hours ahead of this computer's clock (at most 24 are allowed). Check the clock of the computer that made it. Nothing was imported."),
                 index, op->hlc, (long long) ((hlc.physical_ms - now_ms) / 3600000));
  if (own_ops_only && g_strcmp0 (hlc.replica, sender_replica) != 0)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("operations[%u] was made by replica %s, not by the device that sent the changeset"),
                 index, hlc.replica);

  member = json_object_get_member (object, "actor");
  op->actor = NULL;
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      op->actor = _tsu_changeset_get_string (object, "actor");
      if (op->actor == NULL)
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u]: “actor” must be text or null"), index);
    }

  table_name = _tsu_changeset_get_string (object, "table");
  if (table_name == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u]: “table” is missing or not text"), index);
  op->table = tsu_schema_lookup (table_name);
  if (op->table == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u]: unknown record type “%s”"), index, table_name);

  op->id = _tsu_changeset_get_string (object, "id");
  if (op->id == NULL || !g_uuid_string_is_valid (op->id))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u]: “id” is missing or not a record id"), index);

  member = json_object_get_member (object, "fields");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u] (%s %s): “fields” is missing or not an object"),
                 index, op->table->name, op->id);
  op->fields = json_node_get_object (member);
  members = json_object_get_members (op->fields);
  if (members == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u] (%s %s) changes no field"),
                 index, op->table->name, op->id);
  for (GList *l = members; l != NULL; l = l->next)
    if (!check_value (index, op->table, op->id, l->data, json_object_get_member (op->fields, l->data), error))
      return FALSE;
  return TRUE;
}

static char *
join_ids (JsonArray *array)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, json_array_get_string_element (array, i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
check_id_list (JsonNode   *node,
               const char *name,
               JsonArray **out,
               GError    **error)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not a list"), name);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
          !g_uuid_string_is_valid (json_node_get_string (e)))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s”[%u] is not a record id"), name, i);
    }
  *out = array;
  return TRUE;
}

/* Where the operations come from: spans of the file text, each parsed on
 * its own when needed (so a 200,000-visit file never becomes one tree of
 * half a million nodes), or the array of a document parsed whole (only when
 * the file's shape was too odd for the scanner below). */
typedef struct
{
  gsize start;
  gsize end;
} Span;

typedef struct
{
  const char *data;
  GArray     *spans;
  JsonArray  *array;
  JsonParser *parser;
  JsonNode   *node;     /* the last operation read by quick_parse */
  const char *fields;   /* and its fields' text, if the log can keep it */
  gsize       fields_len;
} OpSource;

static guint
op_source_length (OpSource *src)
{
  return src->spans != NULL ? src->spans->len : json_array_get_length (src->array);
}

/* A reader for the common shape of an operation, about twenty times
 * faster than the general JSON parser, which dominated the import's
 * parsing: objects (nested ones too) whose values are strings without
 * escapes or control characters, plain numbers, true, false and null. It
 * builds the same tree the parser would (members in file order, integers
 * as int64, other numbers as double read by the same strtod). Anything
 * else — an escape, an array, an exponent, a repeated name, a syntax
 * error — makes it give up, and the general parser reads the operation
 * and reports any error exactly as before. */
typedef struct
{
  const char *p;
  const char *end;
  /* Whether the text is what JSON-GLib's generator writes for the tree
   * (no spaces, numbers as it prints them): then the "fields" object's
   * text is what the operation log keeps, and need not be generated. */
  gboolean    canonical;
  const char *fields;
  gsize       fields_len;
} Quick;

static void
quick_ws (Quick *q)
{
  const char *start = q->p;

  while (q->p < q->end && (*q->p == ' ' || *q->p == '\t' || *q->p == '\n' || *q->p == '\r'))
    q->p++;
  if (q->p != start)
    q->canonical = FALSE;
}

/* A string without escapes: its bytes between the quotes, or FALSE. */
static gboolean
quick_string (Quick       *q,
              const char **start,
              gsize       *length)
{
  const char *p;

  if (q->p >= q->end || *q->p != '"')
    return FALSE;
  for (p = q->p + 1; p < q->end; p++)
    {
      if (*p == '"')
        {
          *start = q->p + 1;
          *length = (gsize) (p - *start);
          q->p = p + 1;
          return TRUE;
        }
      if (*p == '\\' || (guchar) *p < 0x20)
        return FALSE;
    }
  return FALSE;
}

static JsonNode *quick_object (Quick *q, int depth);

static JsonNode *
quick_value (Quick *q,
             int    depth)
{
  const char *start;
  gsize length;

  if (q->p >= q->end)
    return NULL;
  switch (*q->p)
    {
    case '{':
      return quick_object (q, depth + 1);
    case '"':
      {
        g_autofree char *text = NULL;
        JsonNode *node;

        if (!quick_string (q, &start, &length))
          return NULL;
        text = g_strndup (start, length);
        node = json_node_alloc ();
        json_node_init_string (node, text);
        return node;
      }
    case 't':
    case 'f':
    case 'n':
      {
        static const char * const words[] = { "true", "false", "null" };

        for (guint w = 0; w < G_N_ELEMENTS (words); w++)
          {
            gsize n = strlen (words[w]);

            if ((gsize) (q->end - q->p) >= n && memcmp (q->p, words[w], n) == 0 &&
                (q->p + n == q->end || !g_ascii_isalnum (q->p[n])))
              {
                q->p += n;
                if (w == 2)
                  return json_node_init_null (json_node_alloc ());
                return json_node_init_boolean (json_node_alloc (), w == 0);
              }
          }
        return NULL;
      }
    default:
      {
        /* -?(0|[1-9][0-9]*)(.[0-9]+)?, at most 18 digits before the point */
        const char *p = q->p;
        gboolean fraction = FALSE;
        char buffer[64];
        gsize n;

        if (p < q->end && *p == '-')
          p++;
        start = p;
        while (p < q->end && g_ascii_isdigit (*p))
          p++;
        if (p == start || p - start > 18 || (*start == '0' && p - start > 1))
          return NULL;
        if (p < q->end && *p == '.')
          {
            const char *digits = ++p;

            while (p < q->end && g_ascii_isdigit (*p))
              p++;
            if (p == digits)
              return NULL;
            fraction = TRUE;
          }
        if (p < q->end && (*p == 'e' || *p == 'E' || g_ascii_isalpha (*p)))
          return NULL;
        n = (gsize) (p - q->p);
        if (n >= sizeof buffer)
          return NULL;
        memcpy (buffer, q->p, n);
        buffer[n] = '\0';
        q->p = p;
        if (fraction)
          {
            double value = g_ascii_strtod (buffer, NULL);
            char printed[G_ASCII_DTOSTR_BUF_SIZE + 2];

            /* As the generator prints a double, ".0" added if no point. */
            g_ascii_dtostr (printed, G_ASCII_DTOSTR_BUF_SIZE, value);
            if (strchr (printed, '.') == NULL)
              strcat (printed, ".0");
            if (!g_str_equal (printed, buffer))
              q->canonical = FALSE;
            return json_node_init_double (json_node_alloc (), value);
          }
        if (buffer[0] == '-' && buffer[1] == '0')
          q->canonical = FALSE;   /* -0 is printed 0 */
        return json_node_init_int (json_node_alloc (), g_ascii_strtoll (buffer, NULL, 10));
      }
    }
}

static JsonNode *
quick_object (Quick *q,
              int    depth)
{
  g_autoptr(JsonObject) object = NULL;

  if (depth > 8 || q->p >= q->end || *q->p != '{')
    return NULL;
  q->p++;
  object = json_object_new ();
  quick_ws (q);
  if (q->p < q->end && *q->p == '}')
    {
      q->p++;
      return json_node_init_object (json_node_alloc (), object);
    }
  for (;;)
    {
      g_autofree char *name = NULL;
      const char *start;
      gsize length;
      JsonNode *value;

      quick_ws (q);
      if (!quick_string (q, &start, &length))
        return NULL;
      name = g_strndup (start, length);
      if (json_object_has_member (object, name))
        return NULL;
      quick_ws (q);
      if (q->p >= q->end || *q->p != ':')
        return NULL;
      q->p++;
      quick_ws (q);
      start = q->p;
      value = quick_value (q, depth);
      if (value == NULL)
        return NULL;
      if (depth == 0 && g_str_equal (name, "fields") && *start == '{')
        {
          q->fields = start;
          q->fields_len = (gsize) (q->p - start);
        }
      json_object_set_member (object, name, value);
      quick_ws (q);
      if (q->p < q->end && *q->p == ',')
        {
          q->p++;
          continue;
        }
      if (q->p < q->end && *q->p == '}')
        {
          q->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      return NULL;
    }
}

/* The operation's tree, or NULL when the general parser must read it;
 * @fields, if not NULL, is the text of its "fields" object when that is
 * exactly what the generator writes. */
static JsonNode *
quick_parse (const char  *data,
             gsize        length,
             const char **fields,
             gsize       *fields_len)
{
  Quick q = { data, data + length, TRUE, NULL, 0 };
  JsonNode *node;

  while (q.p < q.end && strchr (" \t\n\r", *q.p) != NULL)
    q.p++;
  while (q.end > q.p && strchr (" \t\n\r", q.end[-1]) != NULL)
    q.end--;
  node = quick_object (&q, 0);
  if (node == NULL)
    return NULL;
  if (q.p != q.end)
    {
      json_node_unref (node);
      return NULL;
    }
  *fields = q.canonical ? q.fields : NULL;
  *fields_len = q.fields_len;
  return node;
}

/* The operation at @index; valid until the next call. */
static JsonNode *
op_source_get (OpSource  *src,
               guint      index,
               GError   **error)
{
  const Span *span;
  g_autoptr(GError) parse_error = NULL;

  if (src->spans == NULL)
    return json_array_get_element (src->array, index);

  span = &g_array_index (src->spans, Span, index);
  g_clear_pointer (&src->node, json_node_unref);
  src->fields = NULL;
  src->node = quick_parse (src->data + span->start, span->end - span->start, &src->fields, &src->fields_len);
  if (src->node != NULL)
    return src->node;
  if (!json_parser_load_from_data (src->parser, src->data + span->start,
                                   (gssize) (span->end - span->start), &parse_error))
    {
      _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("operations[%u] is not valid JSON: %s. Nothing was imported."),
            index, parse_error->message);
      return NULL;
    }
  return json_parser_get_root (src->parser);
}

static gsize
skip_ws (const char *d,
         gsize       n,
         gsize       i)
{
  while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
    i++;
  return i;
}

/* The offset after the string that starts at @i, or 0. */
static gsize
skip_string (const char *d,
             gsize       n,
             gsize       i)
{
  for (i++; i < n; i++)
    {
      if (d[i] == '\\')
        i++;
      else if (d[i] == '"')
        return i + 1;
    }
  return 0;
}

/* The offset after the value at @i, or 0. Only the structure is followed;
 * the JSON parser checks the details of each piece. */
static gsize
skip_value (const char *d,
            gsize       n,
            gsize       i)
{
  int depth = 0;

  if (i >= n)
    return 0;
  if (d[i] == '"')
    return skip_string (d, n, i);
  if (d[i] != '{' && d[i] != '[')
    {
      gsize start = i;

      while (i < n && d[i] != ',' && d[i] != '}' && d[i] != ']' && d[i] != ' ' &&
             d[i] != '\t' && d[i] != '\n' && d[i] != '\r')
        i++;
      return i > start ? i : 0;
    }
  for (; i < n; i++)
    {
      if (d[i] == '"')
        {
          gsize end = skip_string (d, n, i);

          if (end == 0)
            return 0;
          i = end - 1;
        }
      else if (d[i] == '{' || d[i] == '[')
        depth++;
      else if (d[i] == '}' || d[i] == ']')
        {
          if (--depth == 0)
            return i + 1;
        }
    }
  return 0;
}

/* Finds the top-level "operations" array and the text of each element. */
static gboolean
scan_changeset (const char *d,
                gsize       n,
                gsize      *ops_start,
                gsize      *ops_end,
                GArray     *spans)
{
  gsize i = skip_ws (d, n, 0);
  gboolean found = FALSE;

  if (i >= n || d[i] != '{')
    return FALSE;
  i = skip_ws (d, n, i + 1);
  while (i < n)
    {
      gsize key_start = i;
      gsize key_end;

      if (d[i] != '"' || (key_end = skip_string (d, n, i)) == 0)
        return FALSE;
      i = skip_ws (d, n, key_end);
      if (i >= n || d[i] != ':')
        return FALSE;
      i = skip_ws (d, n, i + 1);

      if (key_end - key_start == 12 && memcmp (d + key_start, "\"operations\"", 12) == 0 &&
          i < n && d[i] == '[')
        {
          if (found)
            return FALSE;
          found = TRUE;
          *ops_start = i;
          i = skip_ws (d, n, i + 1);
          if (i < n && d[i] == ']')
            i++;
          else
            for (;;)
              {
                Span span = { i, skip_value (d, n, i) };

                if (span.end == 0)
                  return FALSE;
                g_array_append_val (spans, span);
                i = skip_ws (d, n, span.end);
                if (i < n && d[i] == ',')
                  {
                    i = skip_ws (d, n, i + 1);
                    continue;
                  }
                if (i < n && d[i] == ']')
                  {
                    i++;
                    break;
                  }
                return FALSE;
              }
          *ops_end = i;
        }
      else
        {
          gsize end = skip_value (d, n, i);

          if (end == 0)
            return FALSE;
          i = end;
        }

      i = skip_ws (d, n, i);
      if (i < n && d[i] == ',')
        {
          i = skip_ws (d, n, i + 1);
          continue;
        }
      return i < n && d[i] == '}' && found;
    }
  return FALSE;
}

typedef struct
{
  guint       index;
  guint       table;
  guint       field;
  const char *id;
  const char *target;
  gboolean    in_db;   /* the target was in the database before the import */
} RefCheck;

static int
schema_index (const TsuTableInfo *table)
{
  guint n;
  const TsuTableInfo *tables = tsu_schema_get_tables (&n);

  return (int) (table - tables);
}

static const TsuTableInfo *
schema_table (guint index)
{
  guint n;
  const TsuTableInfo *tables = tsu_schema_get_tables (&n);

  return index < n ? &tables[index] : NULL;
}

static gboolean
import_tree (TsuStore               *store,
             const char             *data,
             gsize                   length,
             JsonObject             *root,
             OpSource               *src,
             const TsuEnvelopeInfo  *env,
             TsuSyncCounts          *counts,
             GError                **error)
{
  gsize signed_len;
  char signature[SIGNATURE_HEX_LEN + 1];
  const char *kind, *hub, *device, *replica;
  JsonNode *ack_node;
  JsonObject *ack;
  gint64 version;
  gboolean to_hub;
  g_autofree char *key = NULL;
  g_autofree char *my_hub = NULL;
  g_autofree char *bound_replica = NULL;
  g_autoptr(JsonObject) device_record = NULL;
  gint64 sender_acked_seq = 0;
  g_autoptr(GHashTable) records = NULL;
  g_autoptr(GStringChunk) strings = NULL;
  g_autoptr(GArray) refs = NULL;
  char max_hlc[TSU_HLC_TEXT_LEN + 1] = "";
  ParsedOp op = { 0 };
  TsuSyncImport *imp;
  guint n_ops;
  gint64 file_acked = 0;
  g_autofree char *hub_districts_text = NULL;
  g_autoptr(GPtrArray) left_ids = NULL;
  g_autofree char *stored_ack = NULL;
  g_autofree char *stored_seq = NULL;
  JsonArray *scope_districts = NULL;
  const char *ack_hlc = NULL;
  gint64 hub_seq = 0;
  gboolean stale = FALSE;
  gint64 now_ms = g_get_real_time () / 1000;

  if (!_tsu_changeset_check_format (root, TSU_CHANGESET_PAYLOAD_VERSION, &version, error))
    return FALSE;

  kind = _tsu_changeset_get_string (root, "kind");
  if (g_strcmp0 (kind, TSU_CHANGESET_TO_HUB) == 0)
    to_hub = TRUE;
  else if (g_strcmp0 (kind, TSU_CHANGESET_TO_DEVICE) == 0)
    to_hub = FALSE;
  else
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “kind” is missing or unknown"));

  hub = _tsu_changeset_get_string (root, "hub");
  device = _tsu_changeset_get_string (root, "device");
  replica = _tsu_changeset_get_string (root, "replica");
  if (hub == NULL || !g_uuid_string_is_valid (hub))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not an id"), "hub");
  if (device == NULL || !g_uuid_string_is_valid (device))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not an id"), "device");
  if (replica == NULL || !g_uuid_string_is_valid (replica))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not an id"), "replica");

  /* Who sent it, and is it signed by them? */
  if (to_hub)
    {
      if (!tsu_store_is_hub (store))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                     _("This changeset was made for the hub at the central office; a laptop cannot import it"));
      if (!g_str_equal (hub, tsu_store_get_replica_id (store)))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This changeset was made for another hub (%s)"), hub);
      device_record = tsu_store_hub_get_device (store, device, NULL);
      if (device_record == NULL)
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("Unknown device %s: it is not registered at this hub. Nothing was imported."), device);
      if (tsu_hub_device_is_revoked (store, device))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("Device %s has been revoked at this hub; its changesets are refused. Nothing was imported."),
                     device);
      /* The sealed envelope and the payload must name the same sender. */
      if (env != NULL && env->sender != NULL && !g_str_equal (env->sender, device))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("The changeset's envelope was sent by device %s, but its contents name device %s. Nothing was imported."),
                     env->sender, device);
      key = g_strdup (json_object_get_string_member (device_record, "key"));
      bound_replica = g_strdup (json_object_get_string_member_with_default (device_record, "replica", NULL));
      sender_acked_seq = json_object_get_int_member (device_record, "acked_seq");
    }
  else
    {
      g_autofree char *my_device = NULL;

      if (tsu_store_is_hub (store))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                     _("This changeset was made by the hub for a laptop; the hub cannot import it"));
      if (!tsu_sync_is_registered (store))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This database is not registered with a hub: import the device key from the central office first"));
      my_hub = tsu_store_sync_get_state (store, "hub_id");
      my_device = tsu_store_sync_get_state (store, "device_id");
      if (!g_str_equal (hub, my_hub) || !g_str_equal (replica, my_hub))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This changeset comes from hub %s, but this laptop belongs to hub %s. Nothing was imported."),
                     hub, my_hub);
      if (!g_str_equal (device, my_device))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This changeset was made for device %s, but this laptop is device %s. Nothing was imported."),
                     device, my_device);
      key = tsu_store_sync_get_state (store, "key");
    }

  signed_len = find_signature (data, length, signature);
  if (signed_len == 0)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("The changeset is not signed (there is no signature at its end). Nothing was imported."));
  if (!signature_matches (key, data, signed_len, signature))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("The changeset's signature is wrong: the file was changed after it was written, or it was not made by device %s. Nothing was imported."),
                 to_hub ? device : hub);

  if (to_hub && bound_replica != NULL && !g_str_equal (bound_replica, replica))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("Device %s sent changes as replica %s, but it is replica %s"),
                 device, replica, bound_replica);

  /* The header's acknowledgement and scope. */
  ack_node = json_object_get_member (root, "ack");
  if (ack_node == NULL || !JSON_NODE_HOLDS_OBJECT (ack_node))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not an object"), "ack");
  ack = json_node_get_object (ack_node);

  if (src->spans == NULL && src->array == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not a list"), "operations");
  n_ops = op_source_length (src);

  imp = tsu_store_sync_import_begin (store, error);
  if (imp == NULL)
    return FALSE;

  /* The rest of the header first: the apply policy depends on it. */
  if (to_hub)
    {
      JsonNode *seq_node = json_object_get_member (ack, "hub_seq");
      JsonNode *districts_node = json_object_get_member (ack, "districts");
      JsonArray *districts = NULL;

      if (seq_node == NULL || !JSON_NODE_HOLDS_VALUE (seq_node) ||
          json_node_get_value_type (seq_node) != G_TYPE_INT64 || json_node_get_int (seq_node) < 0)
        {
          _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or invalid"), "ack.hub_seq");
          goto failed;
        }
      if (!check_id_list (districts_node, "ack.districts", &districts, error))
        goto failed;
      file_acked = json_node_get_int (seq_node);
      /* An acknowledgement of more than the hub ever sent is not believed. */
      if (file_acked > tsu_store_sync_max_seq (store))
        file_acked = 0;
      hub_districts_text = join_ids (districts);
      tsu_sync_import_set_hub_policy (imp, replica, MAX (file_acked, sender_acked_seq));
    }
  else
    {
      JsonNode *scope_node = json_object_get_member (root, "scope");
      JsonNode *hub_seq_node = json_object_get_member (root, "hub_seq");
      JsonArray *left = NULL;
      JsonNode *ack_hlc_node = json_object_get_member (ack, "hlc");
      TsuHlc ack_parsed;

      left_ids = g_ptr_array_new ();
      stored_ack = tsu_store_sync_get_state (store, "ack_hlc");
      stored_seq = tsu_store_sync_get_state (store, "hub_seq");
      if (scope_node == NULL || !JSON_NODE_HOLDS_OBJECT (scope_node) ||
          !check_id_list (json_object_get_member (json_node_get_object (scope_node), "districts"),
                          "scope.districts", &scope_districts, error))
        {
          if (error == NULL || *error == NULL)
            _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not an object"), "scope");
          goto failed;
        }
      if (hub_seq_node == NULL || !JSON_NODE_HOLDS_VALUE (hub_seq_node) ||
          json_node_get_value_type (hub_seq_node) != G_TYPE_INT64 || json_node_get_int (hub_seq_node) < 0)
        {
          _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or invalid"), "hub_seq");
          goto failed;
        }
      hub_seq = json_node_get_int (hub_seq_node);
      if (!check_id_list (json_object_get_member (root, "left"), "left", &left, error))
        goto failed;
      for (guint i = 0; i < json_array_get_length (left); i++)
        g_ptr_array_add (left_ids, (gpointer) json_array_get_string_element (left, i));
      g_ptr_array_add (left_ids, NULL);
      if (ack_hlc_node != NULL && !JSON_NODE_HOLDS_NULL (ack_hlc_node))
        {
          ack_hlc = _tsu_changeset_get_string (ack, "hlc");
          if (ack_hlc == NULL || !tsu_hlc_parse (ack_hlc, &ack_parsed) ||
              !g_str_equal (ack_parsed.replica, tsu_store_get_replica_id (store)))
            {
              _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or invalid"), "ack.hlc");
              goto failed;
            }
        }

      /* A hub file older than (or as old as) the newest one imported adds
       * nothing: the newer file already brought everything of the current
       * districts up to its position. Applying it could only bring back a
       * household that has left the districts since. */
      stale = stored_seq != NULL && hub_seq <= g_ascii_strtoll (stored_seq, NULL, 10);
      tsu_sync_import_set_laptop_policy (imp, stored_ack);
    }

  /* One pass: each operation is parsed once, checked, and applied inside
   * the import's transaction; the first bad one rolls everything back, so
   * the database is unchanged unless the whole file is good. What the
   * checks across operations need is copied out: ids, references. A
   * record's id is compared with the database before its first operation
   * is applied, and a reference's target is looked up before the
   * operation that names it is applied, so both see the database as it
   * was before the import. */
  records = g_hash_table_new (g_str_hash, g_str_equal);
  strings = g_string_chunk_new (64 * 1024);
  refs = g_array_new (FALSE, FALSE, sizeof (RefCheck));
  for (guint i = 0; i < n_ops; i++)
    {
      JsonNode *node = op_source_get (src, i, error);
      gpointer seen;

      if (node == NULL || !check_operation (node, i, replica, to_hub, now_ms, &op, error))
        goto failed;
      if (strcmp (op.hlc, max_hlc) > 0)
        g_strlcpy (max_hlc, op.hlc, sizeof max_hlc);

      seen = g_hash_table_lookup (records, op.id);
      if (seen == NULL)
        {
          GError *local_error = NULL;
          const char *existing = tsu_sync_import_lookup (imp, op.id, &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              goto failed;
            }
          if (existing != NULL && !g_str_equal (existing, op.table->name))
            {
              _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                    _("operations[%u]: id %s is a “%s” record in the changeset, but a “%s” record in this database"),
                    i, op.id, op.table->name, existing);
              goto failed;
            }
          g_hash_table_insert (records, g_string_chunk_insert_const (strings, op.id),
                               GUINT_TO_POINTER (i << 4 | (guint) (schema_index (op.table) + 1)));
        }
      else if ((GPOINTER_TO_UINT (seen) & 0xf) != (guint) (schema_index (op.table) + 1))
        {
          _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                _("operations[%u]: id %s is a “%s” record, but operations[%u] says it is a “%s” record"),
                i, op.id, op.table->name, GPOINTER_TO_UINT (seen) >> 4,
                schema_table ((GPOINTER_TO_UINT (seen) & 0xf) - 1)->name);
          goto failed;
        }

      for (guint f = 0; f < op.table->n_fields; f++)
        {
          JsonNode *value;
          RefCheck ref;

          if (op.table->fields[f].type != TSU_FIELD_REF)
            continue;
          value = json_object_get_member (op.fields, op.table->fields[f].name);
          if (value == NULL || JSON_NODE_HOLDS_NULL (value))
            continue;
          ref.index = i;
          ref.table = (guint) schema_index (op.table);
          ref.field = f;
          ref.id = g_string_chunk_insert_const (strings, op.id);
          ref.target = g_string_chunk_insert_const (strings, json_node_get_string (value));
          ref.in_db = FALSE;
          /* A target already named by the changeset is judged at the end
           * by its type there; only the others need the database. */
          if (g_hash_table_lookup (records, ref.target) == NULL)
            {
              const char *ref_table = op.table->fields[f].ref_table;

              if (!tsu_sync_import_exists (imp, ref_table, ref.target, &ref.in_db, error))
                goto failed;
              /* A laptop still knows records that left its districts. */
              if (!ref.in_db && !to_hub && !tsu_sync_import_in_log (imp, ref.target, &ref.in_db, error))
                goto failed;
            }
          g_array_append_val (refs, ref);
        }

      if (!stale && !tsu_sync_import_apply (imp, op.table->name, op.id, op.fields, src->fields, src->fields_len,
                                            op.hlc, op.actor, error))
        goto failed;
    }

  /* References against the whole file: a target named by the changeset
   * must have the type the field asks for, any other must have been in
   * the database. */
  for (guint r = 0; r < refs->len; r++)
    {
      const RefCheck *ref = &g_array_index (refs, RefCheck, r);
      gpointer target_rec = g_hash_table_lookup (records, ref->target);
      const TsuTableInfo *table = schema_table (ref->table);
      const TsuFieldInfo *info = &table->fields[ref->field];

      if (target_rec != NULL &&
          g_str_equal (schema_table ((GPOINTER_TO_UINT (target_rec) & 0xf) - 1)->name, info->ref_table))
        continue;
      if (target_rec == NULL && ref->in_db)
        continue;
      _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
            _("operations[%u] (%s %s), field “%s”: refers to %s %s, which is neither in the changeset nor in this database. Nothing was imported."),
            ref->index, table->name, ref->id, info->name, info->ref_table, ref->target);
      goto failed;
    }

  if (to_hub)
    {
      if (!tsu_sync_import_note_device (imp, device, replica, file_acked, hub_districts_text, error))
        goto failed;
    }
  else
    {
      if (stale)
        tsu_sync_import_skip (imp, n_ops);

      /* The acknowledgement only grows, even from a late file. */
      if (ack_hlc != NULL && (stored_ack == NULL || strcmp (ack_hlc, stored_ack) > 0) &&
          !tsu_sync_import_set_state (imp, "ack_hlc", ack_hlc, error))
        goto failed;

      if (!stale)
        {
          g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, hub_seq);
          g_autofree char *scope_text = join_ids (scope_districts);
          g_auto(GStrv) scope = NULL;

          if (!tsu_sync_import_set_state (imp, "hub_seq", seq_text, error) ||
              !tsu_sync_import_set_state (imp, "scope_districts", scope_text, error))
            goto failed;

          scope = g_strsplit (scope_text, ",", -1);
          if (!tsu_sync_import_evict (imp, (const char * const *) scope,
                                      (const char * const *) left_ids->pdata, error))
            goto failed;
        }
    }

  /* A household purged on another replica is purged here too, in the
   * same transaction (see tsu-store-purge.c). */
  {
    GHashTableIter iter;
    gpointer id_ptr, rec_ptr;
    guint household_index = (guint) (schema_index (tsu_schema_lookup ("household")) + 1);

    g_hash_table_iter_init (&iter, records);
    while (g_hash_table_iter_next (&iter, &id_ptr, &rec_ptr))
      {
        GError *local_error = NULL;

        if ((GPOINTER_TO_UINT (rec_ptr) & 0xf) != household_index)
          continue;
        if (tsu_store_household_is_purged (store, id_ptr, &local_error) &&
            !tsu_store_purge_household (store, id_ptr, NULL, error))
          goto failed;
        if (local_error != NULL)
          {
            g_propagate_error (error, local_error);
            goto failed;
          }
      }
  }

  if (!tsu_sync_import_observe (imp, max_hlc[0] != '\0' ? max_hlc : NULL, error))
    goto failed;
  /* The envelope's sequence number is remembered in the same transaction,
   * so a replay is refused exactly when the first delivery was applied. */
  if (env != NULL && env->state_key != NULL &&
      !tsu_sync_import_set_state (imp, env->state_key, env->state_value, error))
    goto failed;

  return tsu_sync_import_commit (imp, counts, error);

failed:
  tsu_sync_import_abort (imp);
  return FALSE;
}

gboolean
_tsu_changeset_import_payload (TsuStore               *store,
                               const char             *data,
                               gsize                   length,
                               const TsuEnvelopeInfo  *env,
                               TsuSyncCounts          *counts,
                               GError                **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) op_parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GString) header = NULL;
  OpSource src = { data, NULL, NULL, NULL, NULL, NULL, 0 };
  JsonNode *root;
  JsonNode *ops_node;
  TsuSyncCounts local_counts = { 0, };
  gsize ops_start = 0, ops_end = 0;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  if (!g_utf8_validate_len (data, length, NULL))
    {
      report_bad_utf8 (data, length, error);
      return FALSE;
    }

  /* The header is checked before the database is touched; the header is
   * parsed with the operations left out, and each operation is parsed once,
   * checked and applied inside one transaction (rolled back on the first
   * bad one). */
  parser = json_parser_new_immutable ();
  if (scan_changeset (data, length, &ops_start, &ops_end, spans))
    {
      header = g_string_sized_new (ops_start + 2 + (length - ops_end));
      g_string_append_len (header, data, (gssize) ops_start);
      g_string_append (header, "[]");
      g_string_append_len (header, data + ops_end, (gssize) (length - ops_end));
      if (!json_parser_load_from_data (parser, header->str, (gssize) header->len, &parse_error))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                     _("The changeset is not valid JSON: %s. Nothing was imported."), parse_error->message);
      op_parser = json_parser_new_immutable ();
      src.spans = spans;
      src.parser = op_parser;
    }
  else if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("The changeset is not valid JSON: %s. Nothing was imported."), parse_error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("This file is not a Tsunagu changeset (it is not a JSON object)"));

  ops_node = json_object_get_member (json_node_get_object (root), "operations");
  if (src.spans == NULL)
    {
      /* Checked here only when the scanner could not find the operations;
       * the header's format and version are checked first below. */
      if (ops_node != NULL && JSON_NODE_HOLDS_ARRAY (ops_node))
        src.array = json_node_get_array (ops_node);
      else
        src.array = NULL;
    }

  ok = import_tree (store, data, length, json_node_get_object (root), &src, env, &local_counts, error);
  g_clear_pointer (&src.node, json_node_unref);
  if (!ok)
    return FALSE;
  if (counts != NULL)
    *counts = local_counts;
  return TRUE;
}

gboolean
tsu_changeset_import_file (TsuStore       *store,
                           const char     *path,
                           TsuSyncCounts  *counts,
                           GError        **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) import_error = NULL;

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_IO, _("Could not read “%s”: %s"), path, local_error->message);

  if (!tsu_changeset_import (store, g_mapped_file_get_contents (mapped) != NULL ? g_mapped_file_get_contents (mapped) : "",
                             g_mapped_file_get_length (mapped), counts, &import_error))
    {
      g_autofree char *base = g_path_get_basename (path);

      g_set_error (error, import_error->domain, import_error->code, "%s: %s", base, import_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TsuSyncCounts *counts = g_new0 (TsuSyncCounts, 1);
  GError *error = NULL;

  if (tsu_changeset_import_file (source, task_data, counts, &error))
    g_task_return_pointer (task, counts, g_free);
  else
    {
      g_free (counts);
      g_task_return_error (task, error);
    }
}

void
tsu_changeset_import_file_async (TsuStore            *store,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_changeset_import_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, import_thread);
}

gboolean
tsu_changeset_import_file_finish (TsuStore       *store,
                                  GAsyncResult   *result,
                                  TsuSyncCounts  *counts,
                                  GError        **error)
{
  g_autofree TsuSyncCounts *value = g_task_propagate_pointer (G_TASK (result), error);

  if (value == NULL)
    return FALSE;
  if (counts != NULL)
    *counts = *value;
  return TRUE;
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  guint n = 0;
  GError *error = NULL;

  if (tsu_changeset_export_file (source, NULL, task_data, &n, &error))
    g_task_return_int (task, n);
  else
    g_task_return_error (task, error);
}

void
tsu_changeset_export_file_async (TsuStore            *store,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_changeset_export_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tsu_changeset_export_file_finish (TsuStore       *store,
                                  GAsyncResult   *result,
                                  guint          *n_operations,
                                  GError        **error)
{
  gssize n = g_task_propagate_int (G_TASK (result), error);

  if (n < 0)
    return FALSE;
  if (n_operations != NULL)
    *n_operations = (guint) n;
  return TRUE;
}

/* Registration */

char *
tsu_hub_register_device (TsuStore           *hub,
                         const char         *name,
                         const char * const *districts,
                         char              **device_id,
                         GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *districts_text = NULL;
  g_autoptr(GString) key_hex = g_string_new (NULL);

  g_return_val_if_fail (TSU_IS_STORE (hub), NULL);

  if (tsu_sync_is_registered (hub))
    {
      _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("This database is a laptop registered with a hub; it cannot be a hub"));
      return NULL;
    }
  if (name == NULL || *name == '\0')
    {
      _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("A device needs a name"));
      return NULL;
    }
  for (guint i = 0; districts != NULL && districts[i] != NULL; i++)
    {
      g_autoptr(JsonObject) district = tsu_store_get_record (hub, "district", districts[i], NULL);

      if (district == NULL)
        {
          _tsu_changeset_fail (error, TSU_STORE_ERROR_NOT_FOUND, _("No district with id %s"), districts[i]);
          return NULL;
        }
    }

  /* 256 random bits from GLib's generator, seeded from /dev/urandom. */
  for (guint i = 0; i < KEY_BYTES / 4; i++)
    g_string_append_printf (key_hex, "%08x", g_random_int ());

  districts_text = g_strjoinv (",", (char **) districts);
  json_builder_begin_object (builder);
  if (!tsu_store_begin (hub, error))
    return NULL;
  if (!tsu_store_sync_set_state (hub, "role", "hub", error) ||
      !tsu_store_hub_add_device (hub, id, name, key_hex->str, districts_text, error) ||
      !_tsu_changeset_issue_keys (hub, id, builder, error))
    {
      tsu_store_rollback (hub);
      return NULL;
    }
  if (!tsu_store_commit (hub, error))
    return NULL;

  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, TSU_DEVICE_KEY_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, TSU_DEVICE_KEY_VERSION);
  json_builder_set_member_name (builder, "hub");
  json_builder_add_string_value (builder, tsu_store_get_replica_id (hub));
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "districts");
  json_builder_begin_array (builder);
  for (guint i = 0; districts != NULL && districts[i] != NULL; i++)
    json_builder_add_string_value (builder, districts[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key_hex->str);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  if (device_id != NULL)
    *device_id = g_steal_pointer (&id);
  return json_to_string (root, TRUE);
}

gboolean
tsu_sync_register_with_hub (TsuStore    *store,
                            const char  *key_file,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *hub, *device, *key, *name;
  gsize key_len = 0;
  g_autofree guchar *key_bytes = NULL;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  if (!g_utf8_validate_len (key_file, length, NULL) ||
      !json_parser_load_from_data (parser, key_file, (gssize) length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("This is not a Tsunagu device key file"));
  object = json_node_get_object (root);
  if (g_strcmp0 (_tsu_changeset_get_string (object, "format"), TSU_DEVICE_KEY_FORMAT) != 0)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("This is not a Tsunagu device key file"));
  if (json_object_get_int_member_with_default (object, "version", 0) > TSU_DEVICE_KEY_VERSION)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_TOO_NEW, _("This device key file is from a newer version of Tsunagu"));

  hub = _tsu_changeset_get_string (object, "hub");
  device = _tsu_changeset_get_string (object, "device");
  key = _tsu_changeset_get_string (object, "key");
  name = _tsu_changeset_get_string (object, "name");
  key_bytes = key_from_hex (key, &key_len);
  if (hub == NULL || !g_uuid_string_is_valid (hub) || device == NULL || !g_uuid_string_is_valid (device) ||
      key_bytes == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The device key file is damaged"));
  /* Version 1 key files had no encryption keys; such a laptop could not
   * read or write sealed changesets. */
  if (json_object_get_int_member_with_default (object, "version", 0) < TSU_DEVICE_KEY_VERSION)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("This device key file is from an older version of the hub and has no encryption keys: register the device again at the central office"));

  if (tsu_store_is_hub (store))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("This database is a hub; it cannot register with another hub"));
  if (g_str_equal (hub, tsu_store_get_replica_id (store)))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("A hub cannot register with itself"));

  {
    g_autofree char *old_hub = tsu_store_sync_get_state (store, "hub_id");

    /* Moving a laptop to another hub would mix two sets of records. */
    if (old_hub != NULL && !g_str_equal (old_hub, hub))
      return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                   _("This laptop is already registered with hub %s"), old_hub);
  }

  if (!tsu_store_begin (store, error))
    return FALSE;
  if (!tsu_store_sync_set_state (store, "role", "device", error) ||
      !tsu_store_sync_set_state (store, "hub_id", hub, error) ||
      !tsu_store_sync_set_state (store, "device_id", device, error) ||
      !tsu_store_sync_set_state (store, "device_name", name, error) ||
      !tsu_store_sync_set_state (store, "key", key, error) ||
      !_tsu_changeset_store_keys (store, object, error))
    {
      tsu_store_rollback (store);
      return FALSE;
    }
  return tsu_store_commit (store, error);
}
