/* Configuration: defaults, then a config file, then QUIRE_* environment variables, then flags. */
#ifndef QUIRE_CORE_CONFIG_H
#define QUIRE_CORE_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

struct config {
	char listen_host[256];  /* listen = HOST:PORT         (QUIRE_LISTEN)         127.0.0.1:8080 */
	unsigned listen_port;
	char data_dir[1024];    /* data = DIR                  (QUIRE_DATA)           ./var */
	char store[1100];       /* store = URL                 (QUIRE_STORE)          "" = sqlite:<data>/quire.db */
	unsigned store_pool;    /* store_pool = N              (QUIRE_STORE_POOL)     0 = the backend's default (PostgreSQL: 20) */
	char store_read[1100];  /* store_read = URL            (QUIRE_STORE_READ)     "" = reads go to store too */
	unsigned threads;       /* threads = N                 (QUIRE_THREADS)        0 = one per core */
	size_t body_limit;      /* body_limit = BYTES          (QUIRE_BODY_LIMIT)     8388608 */
	size_t header_limit;    /* header_limit = BYTES        (QUIRE_HEADER_LIMIT)   16384 */
	size_t url_limit;       /* url_limit = BYTES           (QUIRE_URL_LIMIT)      8192 */
	unsigned timeout;       /* timeout = SECONDS           (QUIRE_TIMEOUT)        30 */
	bool secure_cookies;    /* secure_cookies = true|false (QUIRE_SECURE_COOKIES) false; true behind HTTPS */
	char password_cost[32]; /* password_cost = min|interactive|moderate (QUIRE_PASSWORD_COST) interactive */
	bool demo;              /* demo = true|false           (QUIRE_DEMO)           true; --no-demo */
	unsigned session_days;  /* session_days = N            (QUIRE_SESSION_DAYS)   30 */
	bool page_cache;        /* page_cache = true|false     (QUIRE_PAGE_CACHE)     true */
	bool access_log;        /* access_log = true|false     (QUIRE_ACCESS_LOG)     true */
	size_t page_cache_bytes; /* page_cache_bytes = BYTES   (QUIRE_PAGE_CACHE_BYTES) 67108864 (64 MiB) */
	char site_name[128];    /* site_name = TEXT            (QUIRE_SITE_NAME)      Quire */
	char dictionaries[512]; /* dictionaries = DIR          (QUIRE_DICTIONARIES)   /usr/share/hunspell */
	/* Load and abuse limits. */
	unsigned workers;             /* workers = N             (QUIRE_WORKERS)            0 = twice the cores, >= 4 */
	unsigned work_queue;          /* work_queue = N          (QUIRE_WORK_QUEUE)         256; beyond it 503 */
	unsigned password_concurrency; /* password_concurrency = N (QUIRE_PASSWORD_CONCURRENCY) 2 argon2id at once */
	unsigned per_ip_connections;  /* per_ip_connections = N  (QUIRE_PER_IP_CONNECTIONS) 64 */
	unsigned max_connections;     /* max_connections = N     (QUIRE_MAX_CONNECTIONS)    0 = fit the open-file limit */
	char trusted_proxies[1024];   /* trusted_proxies = LIST  (QUIRE_TRUSTED_PROXIES)    "" (addresses, CIDR ranges) */
	/* Story HTML: where embedded players and audio/video may come from (html/media_hosts.h; "ao3" stands for
	 * AO3's list; checked when the server starts). */
	char media_hosts[4096];       /* media_hosts = LIST      (QUIRE_MEDIA_HOSTS)        ao3 */
	/* ---- mail ---- */
	char smtp_url[512];     /* smtp_url = smtp://HOST:PORT | smtps://... (QUIRE_SMTP_URL) "" = mail goes to mail_dir */
	char smtp_user[256];    /* smtp_user = NAME            (QUIRE_SMTP_USER)      "" = no authentication */
	char smtp_password[256];/* smtp_password = TEXT        (QUIRE_SMTP_PASSWORD) */
	char mail_from[320];    /* mail_from = ADDR | Name <ADDR> (QUIRE_MAIL_FROM)   quire@localhost */
	char base_url[512];     /* base_url = https://HOST     (QUIRE_BASE_URL)       "" = http://LISTEN */
	bool require_email_confirmation; /* (QUIRE_REQUIRE_EMAIL_CONFIRMATION) false */
	/* ---- Running a community: site settings the admin pages edit unless these fix them ---- */
	char signup_mode[16];         /* signup_mode = open|closed|invitation (QUIRE_SIGNUP_MODE) "" = the admin's choice */
	char site_description[512];   /* site_description = TEXT (QUIRE_SITE_DESCRIPTION) "" = the admin's choice */
	unsigned invitations_per_day; /* invitations_per_day = N (QUIRE_INVITATIONS_PER_DAY) unset = the admin's choice */
	char mail_dir[1024];          /* mail_dir = DIR|off (QUIRE_MAIL_DIR) "" = <data>/mail when smtp_url is not set */
	/* Which keys the file, the environment or a flag set (what an admin page may not change), and the source
	 * being loaded now (set by the loaders; config_set records it). */
	struct config_source {
		char key[32];
		char from[48];
	} sources[48];
	unsigned nsources;
	const char *loading;
};

void config_defaults(struct config *c);
/* Sets one key; Q_EINVAL (with a message in err) for an unknown key or a bad value. */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);
/* Reads "key = value" lines ('#' comments). Q_ENOTFOUND if missing, Q_EINVAL with "file:line: why". */
int config_load_file(struct config *c, const char *path, char *err, size_t errlen);
/* Applies every QUIRE_<KEY> variable that is set. */
int config_load_env(struct config *c, char *err, size_t errlen);
/* Where key's value came from ("the config file", "the environment (QUIRE_SITE_NAME)", "a command-line flag"),
 * or NULL when it is the default. */
const char *config_source(const struct config *c, const char *key);
/* base_url, or http://LISTEN when it is not set; no trailing slash. Writes into buf. */
const char *config_base_url(const struct config *c, char *buf, size_t len);
#endif
