/* The site's story HTML policy: the media hosts of the config, handed to the sanitizer (with the address
 * relative images resolve against) and written into the Content-Security-Policy, from one parsed list. */
#ifndef QUIRE_APP_MEDIA_POLICY_H
#define QUIRE_APP_MEDIA_POLICY_H
#include <stddef.h>
#include "core/config.h"

struct media_policy;

/* Parses cfg->media_hosts and makes it, with base_url, the sanitizer's policy (sanitize_set_policy). Q_EINVAL
 * with the bad entry in err. */
int media_policy_new(const struct config *cfg, const char *base_url, struct media_policy **out, char *err,
                     size_t errlen);
/* A new address for relative images (the port the server bound, when base_url is not set). Call from one
 * thread; sanitizing on others goes on with the old policy or the new one, never a mix. */
void media_policy_set_base(struct media_policy *m, const char *base_url);
/* The page's whole Content-Security-Policy: frame-src and media-src allow exactly the media hosts. */
const char *media_policy_csp(const struct media_policy *m);
/* Restores the sanitizer's default policy and frees m (NULL is fine). */
void media_policy_free(struct media_policy *m);
#endif
