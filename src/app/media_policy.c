/* The site's story HTML policy from the config: the sanitizer's media hosts and base address, and the CSP. */
#include "app/media_policy.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "html/media_hosts.h"
#include "html/sanitize.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Policies handed to the sanitizer are never changed or freed while the server runs: a new base address
 * takes the next slot, and every slot lives until media_policy_free. */
#define POLICY_SLOTS 4

struct media_policy {
	struct media_hosts *hosts;
	struct sanitize_policy slot[POLICY_SLOTS];
	char base[POLICY_SLOTS][512];
	int used;
	char *csp;
};

int media_policy_new(const struct config *cfg, const char *base_url, struct media_policy **out, char *err,
                     size_t errlen)
{
	*out = NULL;
	struct media_hosts *hosts;
	char why[256];
	if (media_hosts_parse(cfg->media_hosts, &hosts, why, sizeof why) != 0) {
		snprintf(err, errlen, "media_hosts: %s", why);
		return Q_EINVAL;
	}
	struct buf src = BUF_INIT, csp = BUF_INIT;
	media_hosts_csp(hosts, &src);
	if (src.len > MEDIA_HOSTS_CSP_MAX) {
		snprintf(err, errlen, "media_hosts: %zu bytes of Content-Security-Policy sources, at most %d (proxies refuse "
		         "longer headers): list fewer hosts, or *.DOMAIN for many of one site", src.len, MEDIA_HOSTS_CSP_MAX);
		buf_free(&src);
		media_hosts_free(hosts);
		return Q_EINVAL;
	}
	struct media_policy *m = xcalloc(1, sizeof *m);
	m->hosts = hosts;
	/* Embedded players only in frames (frame-src), never as objects; their audio and video (media-src)
	 * from the same hosts; nothing else changes from the site's own-origin policy. */
	buf_printf(&csp, "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; "
	                 "frame-src %s; media-src %s; object-src 'none'; base-uri 'none'; form-action 'self'; "
	                 "frame-ancestors 'none'", src.data, src.data);
	m->csp = buf_detach(&csp, NULL);
	buf_free(&src);
	media_policy_set_base(m, base_url);
	*out = m;
	return 0;
}

void media_policy_set_base(struct media_policy *m, const char *base_url)
{
	if (m->used == POLICY_SLOTS)
		return; /* the port is set once at start-up; more changes keep the last address */
	int i = m->used++;
	snprintf(m->base[i], sizeof m->base[i], "%s", base_url ? base_url : "");
	m->slot[i] = (struct sanitize_policy){m->hosts, m->base[i]};
	sanitize_set_policy(&m->slot[i]);
}

const char *media_policy_csp(const struct media_policy *m)
{
	return m->csp;
}

void media_policy_free(struct media_policy *m)
{
	if (!m)
		return;
	sanitize_set_policy(NULL);
	media_hosts_free(m->hosts);
	free(m->csp);
	free(m);
}
