/* tsu-changeset-envelope.c: changeset files sealed to their recipient and
 * signed by their sender
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A changeset file carries personal data on USB sticks and in e-mail, so
 * the payload document (tsu-changeset.c) travels inside an envelope: the
 * payload is encrypted to the recipient with a libsodium sealed box
 * (X25519 + XSalsa20-Poly1305), and the envelope's bytes are signed with
 * the sender's Ed25519 key. What is signed is a SHA-256 digest of the
 * bytes, taken as they are written (the file is never held whole), with
 * OpenSSL's SHA-256, which uses the CPU's SHA instructions: libsodium's
 * SHA-512 (Ed25519ph) took 40 % of a large export. The hub
 * makes every key pair at registration and hands the device its pairs and
 * the hub's public keys in the key file. The envelope also carries a
 * sequence number that grows with every export, so a file older than one
 * already applied is refused instead of silently re-read. The format is
 * documented in docs/changeset-format.md.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "tsu-changeset-private.h"


#define ENCRYPTION_NAME  "x25519-xsalsa20poly1305-sealedbox"
#define SIGNATURE_PREFIX ",\"signature\":\"ed25519-sha256:"
/* Signed with the digest, so that a signature over these files cannot be
 * taken for one over anything else. */
#define SIGNATURE_CONTEXT "tsunagu-changeset envelope v3 sha256\n"
#define SIGNATURE_HEX    (crypto_sign_BYTES * 2)
#define PAYLOAD_MEMBER   ",\"payload\":\""
/* Sealed bytes per piece of base64 written (a multiple of 3). */
#define B64_CHUNK        (3 * 64 * 1024)

struct _TsuEnvelopeDigest
{
  EVP_MD_CTX *ctx;
};

TsuEnvelopeDigest *
_tsu_envelope_digest_new (void)
{
  TsuEnvelopeDigest *digest = g_new0 (TsuEnvelopeDigest, 1);

  digest->ctx = EVP_MD_CTX_new ();
  if (digest->ctx == NULL || EVP_DigestInit_ex (digest->ctx, EVP_sha256 (), NULL) != 1)
    g_error ("OpenSSL could not start a SHA-256 digest");
  return digest;
}

void
_tsu_envelope_digest_update (TsuEnvelopeDigest *digest,
                             const void        *data,
                             gsize              length)
{
  if (EVP_DigestUpdate (digest->ctx, data, length) != 1)
    g_error ("OpenSSL could not update a SHA-256 digest");
}

/* The message Ed25519 signs: the context line, then the digest. */
static void
digest_message (TsuEnvelopeDigest *digest,
                guchar             message[sizeof SIGNATURE_CONTEXT - 1 + 32])
{
  unsigned int length = 0;

  memcpy (message, SIGNATURE_CONTEXT, sizeof SIGNATURE_CONTEXT - 1);
  if (EVP_DigestFinal_ex (digest->ctx, message + sizeof SIGNATURE_CONTEXT - 1, &length) != 1 || length != 32)
    g_error ("OpenSSL could not finish a SHA-256 digest");
  EVP_MD_CTX_free (digest->ctx);
  g_free (digest);
}

void
_tsu_envelope_digest_sign (TsuEnvelopeDigest *digest,
                           const guchar      *secret_key,
                           guchar            *sig)
{
  guchar message[sizeof SIGNATURE_CONTEXT - 1 + 32];

  digest_message (digest, message);
  crypto_sign_detached (sig, NULL, message, sizeof message, secret_key);
}

gboolean
_tsu_envelope_verify (const void   *data,
                      gsize         length,
                      const guchar *sig,
                      const guchar *public_key)
{
  TsuEnvelopeDigest *digest = _tsu_envelope_digest_new ();
  guchar message[sizeof SIGNATURE_CONTEXT - 1 + 32];

  _tsu_envelope_digest_update (digest, data, length);
  digest_message (digest, message);
  return crypto_sign_verify_detached (sig, message, sizeof message, public_key) == 0;
}

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_IO, _("The encryption library could not be started"));
  return TRUE;
}

static char *
to_hex (const guchar *bin,
        gsize         len)
{
  char *hex = g_malloc (len * 2 + 1);

  sodium_bin2hex (hex, len * 2 + 1, bin, len);
  return hex;
}

/* Reads a key of exactly @len bytes from the sync state entry @name. */
static gboolean
load_key (TsuStore    *store,
          const char  *name,
          guchar      *out,
          gsize        len,
          GError     **error)
{
  g_autofree char *hex = tsu_store_sync_get_state (store, name);
  gsize bin_len = 0;

  if (hex == NULL || strlen (hex) != len * 2 ||
      sodium_hex2bin (out, len, hex, len * 2, NULL, &bin_len, NULL) != 0 || bin_len != len)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("The encryption keys of this database are missing or damaged (%s): register the device again at the central office"),
                 name);
  return TRUE;
}

static gboolean
set_key (TsuStore      *store,
         const char    *name,
         const guchar  *bin,
         gsize          len,
         GError       **error)
{
  g_autofree char *hex = to_hex (bin, len);
  gboolean ok = tsu_store_sync_set_state (store, name, hex, error);

  sodium_memzero (hex, len * 2);
  return ok;
}

static void
add_key_member (JsonBuilder  *builder,
                const char   *name,
                const guchar *bin,
                gsize         len)
{
  g_autofree char *hex = to_hex (bin, len);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, hex);
  sodium_memzero (hex, len * 2);
}

gboolean
_tsu_changeset_issue_keys (TsuStore     *hub,
                           const char   *device_id,
                           JsonBuilder  *builder,
                           GError      **error)
{
  guchar hub_box_pk[crypto_box_PUBLICKEYBYTES], hub_sign_pk[crypto_sign_PUBLICKEYBYTES];
  guchar box_pk[crypto_box_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
  guchar sign_pk[crypto_sign_PUBLICKEYBYTES], sign_sk[crypto_sign_SECRETKEYBYTES];
  g_autofree char *have = NULL;
  g_autofree char *box_name = g_strconcat ("device_box_public:", device_id, NULL);
  g_autofree char *sign_name = g_strconcat ("device_sign_public:", device_id, NULL);
  gboolean ok;

  if (!ensure_sodium (error))
    return FALSE;

  /* The hub's own pairs are made once, with its first device. */
  have = tsu_store_sync_get_state (hub, "box_public");
  if (have == NULL)
    {
      guchar sk[crypto_sign_SECRETKEYBYTES];

      crypto_box_keypair (hub_box_pk, sk);
      ok = set_key (hub, "box_public", hub_box_pk, sizeof hub_box_pk, error) &&
           set_key (hub, "box_secret", sk, crypto_box_SECRETKEYBYTES, error);
      crypto_sign_keypair (hub_sign_pk, sk);
      ok = ok &&
           set_key (hub, "sign_public", hub_sign_pk, sizeof hub_sign_pk, error) &&
           set_key (hub, "sign_secret", sk, crypto_sign_SECRETKEYBYTES, error);
      sodium_memzero (sk, sizeof sk);
      if (!ok)
        return FALSE;
    }
  else if (!load_key (hub, "box_public", hub_box_pk, sizeof hub_box_pk, error) ||
           !load_key (hub, "sign_public", hub_sign_pk, sizeof hub_sign_pk, error))
    return FALSE;

  crypto_box_keypair (box_pk, box_sk);
  crypto_sign_keypair (sign_pk, sign_sk);
  /* The hub keeps only the device's public keys. */
  ok = set_key (hub, box_name, box_pk, sizeof box_pk, error) &&
       set_key (hub, sign_name, sign_pk, sizeof sign_pk, error);
  if (ok)
    {
      add_key_member (builder, "box_public", box_pk, sizeof box_pk);
      add_key_member (builder, "box_secret", box_sk, sizeof box_sk);
      add_key_member (builder, "sign_public", sign_pk, sizeof sign_pk);
      add_key_member (builder, "sign_secret", sign_sk, sizeof sign_sk);
      add_key_member (builder, "hub_box_public", hub_box_pk, sizeof hub_box_pk);
      add_key_member (builder, "hub_sign_public", hub_sign_pk, sizeof hub_sign_pk);
    }
  sodium_memzero (box_sk, sizeof box_sk);
  sodium_memzero (sign_sk, sizeof sign_sk);
  return ok;
}

gboolean
_tsu_changeset_store_keys (TsuStore    *store,
                           JsonObject  *key_file,
                           GError     **error)
{
  static const struct { const char *name; gsize len; } keys[] = {
    { "box_public", crypto_box_PUBLICKEYBYTES },
    { "box_secret", crypto_box_SECRETKEYBYTES },
    { "sign_public", crypto_sign_PUBLICKEYBYTES },
    { "sign_secret", crypto_sign_SECRETKEYBYTES },
    { "hub_box_public", crypto_box_PUBLICKEYBYTES },
    { "hub_sign_public", crypto_sign_PUBLICKEYBYTES },
  };
  guchar bin[crypto_sign_SECRETKEYBYTES];

  if (!ensure_sodium (error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *hex = json_object_get_string_member_with_default (key_file, keys[i].name, NULL);
      gsize bin_len = 0;

      if (hex == NULL || strlen (hex) != keys[i].len * 2 ||
          sodium_hex2bin (bin, sizeof bin, hex, keys[i].len * 2, NULL, &bin_len, NULL) != 0 ||
          bin_len != keys[i].len)
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The device key file is damaged (its “%s” is missing or wrong)"),
                     keys[i].name);
    }
  /* The pairs must belong together, or every file would fail later. */
  {
    guchar sk[crypto_box_SECRETKEYBYTES], pk[crypto_box_PUBLICKEYBYTES], want[crypto_box_PUBLICKEYBYTES];
    gsize n;

    sodium_hex2bin (sk, sizeof sk, json_object_get_string_member (key_file, "box_secret"), sizeof sk * 2, NULL, &n, NULL);
    sodium_hex2bin (want, sizeof want, json_object_get_string_member (key_file, "box_public"), sizeof want * 2, NULL, &n, NULL);
    crypto_scalarmult_base (pk, sk);
    sodium_memzero (sk, sizeof sk);
    if (sodium_memcmp (pk, want, sizeof pk) != 0)
      return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The device key file is damaged (its “%s” is missing or wrong)"),
                   "box_public");
  }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (!tsu_store_sync_set_state (store, keys[i].name,
                                   json_object_get_string_member (key_file, keys[i].name), error))
      return FALSE;
  return TRUE;
}

gboolean
tsu_hub_device_is_revoked (TsuStore   *hub,
                           const char *device_id)
{
  g_autofree char *name = g_strconcat ("revoked:", device_id, NULL);
  g_autofree char *when = tsu_store_sync_get_state (hub, name);

  return when != NULL;
}

gboolean
tsu_hub_revoke_device (TsuStore    *hub,
                       const char  *device_id,
                       GError     **error)
{
  g_autoptr(JsonObject) device = NULL;
  g_autofree char *name = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (TSU_IS_STORE (hub), FALSE);

  if (!tsu_store_is_hub (hub))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("This database is not a hub"));
  device = tsu_store_hub_get_device (hub, device_id, NULL);
  if (device == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_NOT_FOUND, _("No device with id %s"), device_id);
  if (tsu_hub_device_is_revoked (hub, device_id))
    return TRUE;
  name = g_strconcat ("revoked:", device_id, NULL);
  when = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / 1000);
  return tsu_store_sync_set_state (hub, name, when, error);
}

/* Writing */

/* Base64 of the sealed payload. The sealed bytes are public (anyone who
 * holds the file sees them), so the encoding need not run in constant time
 * like libsodium's, which is made for secrets and is five to ten times
 * slower on a large file. The decoder is as strict as libsodium's: the
 * standard alphabet, padding, no stray character, no leftover bits. */
static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Writes exactly 4 * ceil(len / 3) characters, no terminator. Two
 * characters per table look-up (12 bits at a time). */
static void
b64_encode (char         *out,
            const guchar *in,
            gsize         len)
{
  static char pairs[4096][2];
  static gsize table_ready = 0;
  gsize i = 0;

  if (g_once_init_enter (&table_ready))
    {
      for (guint v = 0; v < 4096; v++)
        {
          pairs[v][0] = b64_alphabet[v >> 6];
          pairs[v][1] = b64_alphabet[v & 63];
        }
      g_once_init_leave (&table_ready, 1);
    }

  for (; i + 3 <= len; i += 3)
    {
      guint32 v = (guint32) in[i] << 16 | (guint32) in[i + 1] << 8 | in[i + 2];

      memcpy (out, pairs[v >> 12], 2);
      memcpy (out + 2, pairs[v & 4095], 2);
      out += 4;
    }
  if (i < len)
    {
      guint32 v = (guint32) in[i] << 16 | (i + 1 < len ? (guint32) in[i + 1] << 8 : 0);

      *out++ = b64_alphabet[v >> 18];
      *out++ = b64_alphabet[(v >> 12) & 63];
      *out++ = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
      *out++ = '=';
    }
}

/* Decodes @len characters into @out (room for len / 4 * 3 bytes);
 * FALSE for anything but canonical padded base64. */
static gboolean
b64_decode (guchar     *out,
            const char *in,
            gsize       len,
            gsize      *out_len)
{
  static gint8 value[256];
  static gsize table_ready = 0;
  guchar *start = out;
  gsize pad = 0;

  if (g_once_init_enter (&table_ready))
    {
      memset (value, -1, sizeof value);
      for (int i = 0; i < 64; i++)
        value[(guchar) b64_alphabet[i]] = (gint8) i;
      g_once_init_leave (&table_ready, 1);
    }

  if (len % 4 != 0)
    return FALSE;
  if (len > 0 && in[len - 1] == '=')
    pad = len > 1 && in[len - 2] == '=' ? 2 : 1;

  for (gsize i = 0; i < len; i += 4)
    {
      gboolean last = i + 4 == len;
      int a = value[(guchar) in[i]], b = value[(guchar) in[i + 1]];
      int c = last && pad == 2 ? 0 : value[(guchar) in[i + 2]];
      int d = last && pad >= 1 ? 0 : value[(guchar) in[i + 3]];
      guint32 v;

      if ((a | b | c | d) < 0)
        return FALSE;
      v = (guint32) a << 18 | (guint32) b << 12 | (guint32) c << 6 | (guint32) d;
      *out++ = v >> 16;
      if (last && pad == 2)
        {
          if ((v & 0xffff) != 0)
            return FALSE;
          break;
        }
      *out++ = (v >> 8) & 0xff;
      if (last && pad == 1)
        {
          if ((v & 0xff) != 0)
            return FALSE;
          break;
        }
      *out++ = v & 0xff;
    }
  *out_len = (gsize) (out - start);
  return TRUE;
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  /* Names and values here are ids, fixed words and base64: no escaping. */
  g_string_append_printf (out, ",\"%s\":\"%s\"", name, value);
}

gboolean
tsu_changeset_export (TsuStore       *store,
                      const char     *device_id,
                      GOutputStream  *out,
                      guint          *n_operations,
                      GError        **error)
{
  g_autoptr(GOutputStream) mem = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *last_text = NULL;
  g_autofree char *seq_text = NULL;
  g_autofree guchar *sealed = NULL;
  g_autoptr(GString) text = NULL;
  guchar recipient_pk[crypto_box_PUBLICKEYBYTES];
  guchar sign_sk[crypto_sign_SECRETKEYBYTES];
  guchar sig[crypto_sign_BYTES];
  char sig_hex[SIGNATURE_HEX + 1];
  TsuEnvelopeDigest *digest;
  gboolean ok = TRUE;
  gsize plain_len, sealed_len;
  gint64 seq;
  const char *kind;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  if (!ensure_sodium (error))
    return FALSE;

  if (device_id == NULL)
    {
      if (!tsu_sync_is_registered (store))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This database is not registered with a hub: import the device key from the central office first"));
      kind = TSU_CHANGESET_TO_HUB;
      sender = tsu_store_sync_get_state (store, "device_id");
      recipient = tsu_store_sync_get_state (store, "hub_id");
      if (!load_key (store, "hub_box_public", recipient_pk, sizeof recipient_pk, error))
        return FALSE;
    }
  else
    {
      g_autoptr(JsonObject) device = tsu_store_hub_get_device (store, device_id, error);
      g_autofree char *box_name = g_strconcat ("device_box_public:", device_id, NULL);

      if (device == NULL)
        return FALSE;
      if (tsu_hub_device_is_revoked (store, device_id))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("Device %s has been revoked: nothing is exported for it any more"), device_id);
      kind = TSU_CHANGESET_TO_DEVICE;
      sender = g_strdup (tsu_store_get_replica_id (store));
      recipient = g_strdup (device_id);
      if (!load_key (store, box_name, recipient_pk, sizeof recipient_pk, error))
        return FALSE;
    }
  if (!load_key (store, "sign_secret", sign_sk, sizeof sign_sk, error))
    return FALSE;

  /* The payload is written after room for the sealed box's header, so
   * that it is sealed in place (libsodium encrypts over its input when the
   * two coincide): the export holds the payload once. */
  mem = g_memory_output_stream_new_resizable ();
  {
    static const guchar room[crypto_box_SEALBYTES] = { 0, };

    if (!g_output_stream_write_all (mem, room, sizeof room, NULL, NULL, error) ||
        !_tsu_changeset_export_payload (store, device_id, mem, n_operations, error) ||
        !g_output_stream_close (mem, NULL, error))
      {
        sodium_memzero (sign_sk, sizeof sign_sk);
        return FALSE;
      }
  }
  sealed_len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem));
  sealed = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (mem));
  plain_len = sealed_len - crypto_box_SEALBYTES;

  /* The sequence number only grows. Taking the clock as a floor keeps it
   * growing even on a database restored from an older backup. */
  last_text = tsu_store_sync_get_state (store, "envelope_seq_out");
  seq = MAX (g_ascii_strtoll (last_text != NULL ? last_text : "0", NULL, 10) + 1,
             g_get_real_time () / 1000);
  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  if (!tsu_store_sync_set_state (store, "envelope_seq_out", seq_text, error))
    {
      sodium_memzero (sign_sk, sizeof sign_sk);
      return FALSE;
    }

  crypto_box_seal (sealed, sealed + crypto_box_SEALBYTES, plain_len, recipient_pk);

  /* Written and digested as it goes: the header, the base64 of the sealed
   * payload in pieces, then the signature over the digest, so the file is
   * never held whole in memory. */
  text = g_string_sized_new (B64_CHUNK / 3 * 4 + 512);
  g_string_append_printf (text, "{\"format\":\"%s\",\"version\":%d", TSU_CHANGESET_FORMAT, TSU_CHANGESET_VERSION);
  append_member (text, "kind", kind);
  append_member (text, "sender", sender);
  append_member (text, "recipient", recipient);
  g_string_append_printf (text, ",\"seq\":%s", seq_text);
  append_member (text, "encryption", ENCRYPTION_NAME);
  g_string_append (text, ",\"payload\":\"");
  digest = _tsu_envelope_digest_new ();
  for (gsize at = 0; ok && at < sealed_len; at += B64_CHUNK)
    {
      gsize n = MIN (B64_CHUNK, sealed_len - at);
      gsize start = text->len;

      g_string_set_size (text, start + (n + 2) / 3 * 4);
      b64_encode (text->str + start, sealed + at, n);
      if (at + n == sealed_len)
        g_string_append_c (text, '"');
      _tsu_envelope_digest_update (digest, text->str, text->len);
      ok = g_output_stream_write_all (out, text->str, text->len, NULL, NULL, error);
      g_string_truncate (text, 0);
    }
  g_clear_pointer (&sealed, g_free);
  /* Signed either way, which also frees the digest; a failed write
   * discards the signature. */
  _tsu_envelope_digest_sign (digest, sign_sk, sig);
  if (!ok)
    {
      sodium_memzero (sign_sk, sizeof sign_sk);
      return FALSE;
    }

  sodium_memzero (sign_sk, sizeof sign_sk);
  sodium_bin2hex (sig_hex, sizeof sig_hex, sig, sizeof sig);
  g_string_append_printf (text, SIGNATURE_PREFIX "%s\"}\n", sig_hex);

  return g_output_stream_write_all (out, text->str, text->len, NULL, NULL, error);
}

/* Reading */


/* The length of the signed bytes (everything before the signature member,
 * which must close the file), or 0; the signature into @sig. */
static gsize
find_signature (const char *data,
                gsize       length,
                guchar      sig[crypto_sign_BYTES])
{
  gsize prefix_len = strlen (SIGNATURE_PREFIX);
  gsize end = length;
  gsize start, bin_len = 0;

  while (end > 0 && g_ascii_isspace (data[end - 1]))
    end--;
  if (end < 2 + SIGNATURE_HEX + prefix_len || data[end - 1] != '}' || data[end - 2] != '"')
    return 0;
  start = end - 2 - SIGNATURE_HEX;
  if (memcmp (data + start - prefix_len, SIGNATURE_PREFIX, prefix_len) != 0)
    return 0;
  if (sodium_hex2bin (sig, crypto_sign_BYTES, data + start, SIGNATURE_HEX, NULL, &bin_len, NULL) != 0 ||
      bin_len != crypto_sign_BYTES)
    return 0;
  return start - prefix_len;
}

gboolean
tsu_changeset_import (TsuStore       *store,
                      const char     *data,
                      gsize           length,
                      TsuSyncCounts  *counts,
                      GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root_node, *seq_node;
  JsonObject *root;
  const char *kind, *sender, *recipient, *encryption, *payload_b64 = NULL;
  gint64 version, seq, last;
  gboolean to_hub;
  g_autofree char *sign_key_name = NULL;
  g_autofree char *seq_key = NULL;
  g_autofree char *last_text = NULL;
  g_autofree char *seq_text = NULL;
  g_autofree guchar *sealed = NULL;
  guchar *plain;
  guchar sender_pk[crypto_sign_PUBLICKEYBYTES];
  guchar my_pk[crypto_box_PUBLICKEYBYTES], my_sk[crypto_box_SECRETKEYBYTES];
  guchar sig[crypto_sign_BYTES];
  gsize signed_len, b64_len = 0, sealed_len = 0, plain_len;
  TsuEnvelopeInfo env = { NULL, NULL, NULL };
  gboolean verified;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  if (!ensure_sodium (error))
    return FALSE;
  if (!g_utf8_validate_len (data, length, NULL))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("This file is not a Tsunagu changeset (it is not UTF-8 text). Nothing was imported."));
  /* The payload is most of the file: it is cut out before the header is
   * parsed, so that it is not copied into a JSON tree (base64 has no quote
   * or backslash, so the next quote ends it). */
  parser = json_parser_new_immutable ();
  {
    const char *member = g_strstr_len (data, (gssize) MIN (length, 4096), PAYLOAD_MEMBER);
    const char *start = member != NULL ? member + strlen (PAYLOAD_MEMBER) : NULL;
    const char *end = start != NULL ? memchr (start, '"', length - (gsize) (start - data)) : NULL;

    if (end != NULL)
      {
        g_autoptr(GString) header = g_string_sized_new (4096);

        g_string_append_len (header, data, member - data);
        g_string_append_len (header, end + 1, (gssize) (length - (gsize) (end + 1 - data)));
        if (!json_parser_load_from_data (parser, header->str, (gssize) header->len, &parse_error))
          return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                       _("The changeset is not valid JSON: %s. Nothing was imported."), parse_error->message);
        payload_b64 = start;
        b64_len = (gsize) (end - start);
      }
    else if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
      return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                   _("The changeset is not valid JSON: %s. Nothing was imported."), parse_error->message);
  }
  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("This file is not a Tsunagu changeset (it is not a JSON object)"));
  root = json_node_get_object (root_node);

  if (!_tsu_changeset_check_format (root, TSU_CHANGESET_VERSION, &version, error))
    return FALSE;
  if (version == 2)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("This changeset has format version 2: it was made by an older Tsunagu, which signed changesets differently. Export it again with this version. Nothing was imported."));
  if (version < TSU_CHANGESET_VERSION)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("This changeset is not encrypted (format version %lld, made by an older Tsunagu); only encrypted changesets are accepted. Export it again with this version. Nothing was imported."),
                 (long long) version);

  kind = _tsu_changeset_get_string (root, "kind");
  sender = _tsu_changeset_get_string (root, "sender");
  recipient = _tsu_changeset_get_string (root, "recipient");
  encryption = _tsu_changeset_get_string (root, "encryption");
  if (payload_b64 == NULL)
    {
      payload_b64 = _tsu_changeset_get_string (root, "payload");
      b64_len = payload_b64 != NULL ? strlen (payload_b64) : 0;
    }
  seq_node = json_object_get_member (root, "seq");
  if (g_strcmp0 (kind, TSU_CHANGESET_TO_HUB) == 0)
    to_hub = TRUE;
  else if (g_strcmp0 (kind, TSU_CHANGESET_TO_DEVICE) == 0)
    to_hub = FALSE;
  else
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “kind” is missing or unknown"));
  if (sender == NULL || !g_uuid_string_is_valid (sender))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not an id"), "sender");
  if (recipient == NULL || !g_uuid_string_is_valid (recipient))
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's “%s” is missing or not an id"), "recipient");
  if (seq_node == NULL || !JSON_NODE_HOLDS_VALUE (seq_node) ||
      json_node_get_value_type (seq_node) != G_TYPE_INT64 || (seq = json_node_get_int (seq_node)) < 1)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's sequence number is missing or invalid"));
  if (g_strcmp0 (encryption, ENCRYPTION_NAME) != 0 || payload_b64 == NULL)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                 _("The changeset's encryption is missing or unknown (expected “%s”)"), ENCRYPTION_NAME);

  /* Is it for us, and from whom? */
  if (to_hub)
    {
      g_autoptr(JsonObject) device = NULL;

      if (!tsu_store_is_hub (store))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                     _("This changeset was made for the hub at the central office; a laptop cannot import it"));
      if (!g_str_equal (recipient, tsu_store_get_replica_id (store)))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This changeset was made for another hub (%s)"), recipient);
      device = tsu_store_hub_get_device (store, sender, NULL);
      if (device == NULL)
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("Unknown device %s: it is not registered at this hub. Nothing was imported."), sender);
      if (tsu_hub_device_is_revoked (store, sender))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("Device %s has been revoked at this hub; its changesets are refused. Nothing was imported."),
                     sender);
      sign_key_name = g_strconcat ("device_sign_public:", sender, NULL);
    }
  else
    {
      g_autofree char *my_hub = NULL;
      g_autofree char *my_device = NULL;

      if (tsu_store_is_hub (store))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID,
                     _("This changeset was made by the hub for a laptop; the hub cannot import it"));
      if (!tsu_sync_is_registered (store))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This database is not registered with a hub: import the device key from the central office first"));
      my_hub = tsu_store_sync_get_state (store, "hub_id");
      my_device = tsu_store_sync_get_state (store, "device_id");
      if (!g_str_equal (recipient, my_device))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This changeset was made for device %s, but this laptop is device %s. Nothing was imported."),
                     recipient, my_device);
      if (!g_str_equal (sender, my_hub))
        return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                     _("This changeset comes from hub %s, but this laptop belongs to hub %s. Nothing was imported."),
                     sender, my_hub);
      sign_key_name = g_strdup ("hub_sign_public");
    }

  /* The signature covers every byte before it: any change is caught
   * before anything in the file is trusted or decrypted. */
  if (!load_key (store, sign_key_name, sender_pk, sizeof sender_pk, error))
    return FALSE;
  signed_len = find_signature (data, length, sig);
  if (signed_len == 0)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("The changeset is not signed (there is no signature at its end). Nothing was imported."));
  verified = _tsu_envelope_verify (data, signed_len, sig, sender_pk);
  if (!verified)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                 _("The changeset's signature is wrong: the file was changed after it was written, or it was not made by %s. Nothing was imported."),
                 sender);

  /* A file not newer than the last one applied from this sender is a
   * re-delivery or a replay: refused, and nothing changes. */
  seq_key = g_strconcat ("envelope_seq_in:", sender, NULL);
  last_text = tsu_store_sync_get_state (store, seq_key);
  last = last_text != NULL ? g_ascii_strtoll (last_text, NULL, 10) : 0;
  if (seq <= last)
    return _tsu_changeset_fail (error, TSU_STORE_ERROR_ALREADY_IMPORTED,
                 _("This changeset (number %lld from %s) was imported already, or a newer one from the same sender has been imported since. Nothing was changed."),
                 (long long) seq, sender);

  /* Open the sealed box with this replica's key pair. */
  if (!load_key (store, "box_public", my_pk, sizeof my_pk, error) ||
      !load_key (store, "box_secret", my_sk, sizeof my_sk, error))
    {
      sodium_memzero (my_sk, sizeof my_sk);
      return FALSE;
    }
  sealed = g_malloc (b64_len / 4 * 3 + 3);
  if (!b64_decode (sealed, payload_b64, b64_len, &sealed_len) ||
      sealed_len < crypto_box_SEALBYTES)
    {
      sodium_memzero (my_sk, sizeof my_sk);
      return _tsu_changeset_fail (error, TSU_STORE_ERROR_INVALID, _("The changeset's encrypted payload is damaged. Nothing was imported."));
    }
  /* Opened in place: libsodium checks the tag before it writes, and moves
   * overlapping bytes itself, so the payload is never held twice (the
   * buffer has room for the terminating NUL: base64 rounds up). */
  plain_len = sealed_len - crypto_box_SEALBYTES;
  if (crypto_box_seal_open (sealed, sealed, sealed_len, my_pk, my_sk) != 0)
    {
      sodium_memzero (my_sk, sizeof my_sk);
      return _tsu_changeset_fail (error, TSU_STORE_ERROR_AUTH,
                   _("The changeset could not be decrypted: it was not encrypted for this database's keys. Nothing was imported."));
    }
  sodium_memzero (my_sk, sizeof my_sk);
  plain = g_steal_pointer (&sealed);
  plain[plain_len] = '\0';

  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  env.sender = to_hub ? sender : NULL;
  env.state_key = seq_key;
  env.state_value = seq_text;
  ok = _tsu_changeset_import_payload (store, (const char *) plain, plain_len, &env, counts, error);
  sodium_memzero (plain, plain_len);
  g_free (plain);
  return ok;
}
