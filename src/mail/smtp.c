/* SMTP delivery through libcurl: one handle per batch, STARTTLS when credentials travel, 4xx vs 5xx. */
#include "mail/smtp.h"
#include "core/alloc.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CONNECT_TIMEOUT 10L
#define SEND_TIMEOUT 60L

struct smtp {
	CURL *curl;
	struct smtp_config cfg;
	const atomic_bool *stop;
};

struct upload {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t room = size * nitems, left = u->len - u->off;
	size_t n = left < room ? left : room;
	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

static int progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const atomic_bool *stop = arg;
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return atomic_load(stop) ? 1 : 0; /* non-zero aborts the transfer */
}

struct smtp *smtp_new(const struct smtp_config *cfg, const atomic_bool *stop)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	struct smtp *s = xcalloc(1, sizeof *s);
	s->curl = c;
	s->cfg = *cfg;
	s->stop = stop;
	return s;
}

void smtp_free(struct smtp *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}

/* Authentication and TLS failures are the site's configuration, not the message: keep the mail. */
static bool permanent(long code)
{
	return code >= 500 && code < 600 && code != 530 && code != 534 && code != 535 && code != 538;
}

enum smtp_result smtp_send(struct smtp *s, const char *from_addr, const char *rcpt, const char *msg, size_t len,
                           char *err, size_t errlen)
{
	CURL *c = s->curl;
	struct upload up = {msg, len, 0};
	char from[400], to[400], cerr[CURL_ERROR_SIZE] = "";
	snprintf(from, sizeof from, "<%s>", from_addr);
	snprintf(to, sizeof to, "<%s>", rcpt);
	struct curl_slist *rcpts = curl_slist_append(NULL, to);
	bool tls_url = !strncasecmp(s->cfg.url, "smtps://", 8);

	curl_easy_setopt(c, CURLOPT_URL, s->cfg.url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* we are one thread among many */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SEND_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	if (s->cfg.user && *s->cfg.user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->cfg.user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->cfg.password ? s->cfg.password : "");
		/* A password never crosses the network in the clear: smtp:// must upgrade with STARTTLS. */
		if (!tls_url)
			curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)s->stop);

	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	/* The list and the buffers are ours; libcurl must not keep pointing at them. */
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(rcpts);
	if (rc == CURLE_OK)
		return SMTP_SENT;
	snprintf(err, errlen, "%s%s%s (SMTP %ld)", curl_easy_strerror(rc), *cerr ? ": " : "", cerr, code);
	return permanent(code) && rc != CURLE_ABORTED_BY_CALLBACK ? SMTP_PERMANENT : SMTP_TEMPORARY;
}
