/* Command-line commands: wiring of config, store, web application and HTTP server. */
#include "app/media_policy.h"
#include "app/cli.h"
#include "archive/community.h"
#include "archive/account.h"
#include "archive/rerender.h"
#include "auth/password.h"
#include "auth/password_helper.h"
#include "auth/token.h"
#include "core/err.h"
#include "core/jobs.h"
#include "archive/response.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/netaddr.h"
#include "demo/demo.h"
#include "mail/outbox.h"
#include "app/app.h"
#include "store/store_copy.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static int open_store(const struct config *cfg, struct store **st)
{
	char url[1200], err[1400];
	if (cfg->store[0]) {
		snprintf(url, sizeof url, "%s", cfg->store);
	} else {
		/* The default lives in the data directory, made on first use. */
		if (mkdir(cfg->data_dir, 0700) != 0 && errno != EEXIST) {
			log_error("cannot create data directory %s: %s", cfg->data_dir, strerror(errno));
			return Q_ERR;
		}
		snprintf(url, sizeof url, "sqlite:%s/quire.db", cfg->data_dir);
	}
	enum password_cost cost = PASSWORD_COST_INTERACTIVE;
	password_cost_parse(cfg->password_cost, &cost);
	password_set_cost(cost);
	struct store_options opt = {.pool = (int)cfg->store_pool, .read_url = cfg->store_read[0] ? cfg->store_read : NULL};
	int rc = store_open_with(st, url, &opt, err, sizeof err);
	if (rc != 0 && cfg->store[0] && strncmp(url, "sqlite:", 7) != 0)
		log_error("cannot open the store: %s", err); /* a database URL may hold a password: err names it without */
	else if (rc != 0)
		log_error("cannot open the store %s: %s", url, err);
	return rc;
}

/* The job runner's lease hook for a store several servers share: an exclusive job (mail, re-filing, cleanups) runs
 * on the server that holds its lease in the store (PostgreSQL: an advisory lock its connection holds, gone at once
 * when it dies, so another server takes the job over). */
static bool job_lease(void *ctx, const char *job, int64_t until_ms)
{
	bool held = false;
	return store_job_lease(ctx, job, until_ms, &held) == 0 && held;
}

int cli_open_store(const struct config *cfg, struct store **st)
{
	return open_store(cfg, st);
}

/* Each connection is a descriptor: the soft limit (often 1,024) would cap us below what a busy site or a
 * slowloris attack needs, so take the hard limit. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_warn("cannot raise the open-file limit: %s", strerror(errno));
	}
}

/* The line tests and scripts wait for: the address actually bound (port 0 asks for any free port). */
static void print_listening(const char *host, unsigned port)
{
	if (strchr(host, ':'))
		printf("listening on http://[%s]:%u/\n", host, port);
	else
		printf("listening on http://%s:%u/\n", host, port);
	fflush(stdout);
}

int cli_serve(const struct config *cfg)
{
	struct store *st = NULL;
	struct web *app = NULL;
	struct http_server *srv = NULL;
	struct mail_outbox *outbox = NULL;
	struct jobs *jobs = NULL;
	static struct config mail_cfg; /* the outbox reads it until it stops */
	char err[512] = "";
	int code = 1;
	log_set_access(cfg->access_log);
	/* Block the stop signals in every thread; the main thread waits for them below. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit (ulimit -f) reached by the database is a write that fails (EFBIG: the archive turns
	 * read-only until there is room), not a reason to die. */
	signal(SIGXFSZ, SIG_IGN);
	raise_fd_limit();
	password_set_concurrency(cfg->password_concurrency);
	/* Before any thread exists: the helper is a fork of this process. */
	password_helper_start(cfg->password_concurrency);
	struct netaddr_range proxies[NETADDR_LIST_MAX];
	size_t nproxies = 0;
	if (netaddr_list_parse(cfg->trusted_proxies, proxies, NETADDR_LIST_MAX, &nproxies) != 0) {
		log_error("trusted_proxies: not a list of addresses and CIDR ranges: %s", cfg->trusted_proxies);
		goto done;
	}
	store_metrics_register(); /* before the store and its threads exist */
	if (open_store(cfg, &st) != 0)
		goto done;
	/* Servers starting at once on one shared store: the one holding the "demo" lease seeds (if the archive is
	 * bare), the others leave it to it. */
	bool seeder = true;
	if (cfg->demo && store_has(st, STORE_CAP_SHARED) &&
	    store_job_lease(st, "demo", (int64_t)time(NULL) * 1000 + 600000, &seeder) != 0)
		seeder = false;
	if (cfg->demo && seeder && demo_seed(st) != 0)
		log_warn("the demo content could not be loaded");
	if (web_new(&app, cfg, st, err, sizeof err) != 0) {
		log_error("start-up failed: %s", err);
		goto done;
	}
	struct http_limits lim = {
		.body_max = cfg->body_limit,
		.header_max = cfg->header_limit,
		.url_max = cfg->url_limit,
		.timeout_s = cfg->timeout,
		.threads = cfg->threads,
		.workers = cfg->workers,
		.work_queue = cfg->work_queue,
		.hash_workers = cfg->password_concurrency,
		.per_ip_connections = cfg->per_ip_connections,
		.max_connections = cfg->max_connections,
		.trusted_proxies = proxies,
		.ntrusted_proxies = nproxies,
		/* Every page's Content-Security-Policy lists the media hosts, twice. */
		.response_headers_extra = strlen(media_policy_csp(app->media)),
	};
	struct http_hooks hooks = {
		.preflight = web_preflight,
		.handler = web_handle,
		.on_error = web_server_error,
		.ctx = app,
	};
	hooks.routes = web_route_infos(&hooks.nroutes);
	if (http_server_start(&srv, cfg->listen_host, cfg->listen_port, &lim, &hooks, err, sizeof err) != 0) {
		log_error("%s", err);
		goto done;
	}
	/* Background work, never on a network thread: one runner, a thread per named job (core/jobs.h): the store's
	 * re-filing, hit counts, and mail, whose links use the port actually bound when base_url is not set
	 * (--listen HOST:0). With a shared store, the exclusive ones will take a lease (jobs_set_lease). */
	mail_cfg = *cfg;
	mail_cfg.listen_port = http_server_port(srv);
	web_set_port(app, mail_cfg.listen_port); /* downloads name the work's address */
	{
		char base[600]; /* relative images; notices' mail names the site */
		media_policy_set_base(app->media, web_base_url(app, base, sizeof base));
		community_set_base_url(app->community, base);
	}
	jobs = jobs_new();
	if (store_has(st, STORE_CAP_SHARED))
		jobs_set_lease(jobs, job_lease, st);
	/* Texts stored by an older sanitizer, or under other media hosts or another address, are rendered again
	 * under the current rules (web_new set them); the rules as the CSP lists them once parsed, so a change
	 * to AO3's list in a new release counts too. */
	struct buf rules = BUF_INIT;
	{
		char base[512];
		buf_printf(&rules, "%s\n%s", web_base_url(app, base, sizeof base), media_policy_csp(app->media));
	}
	int jrc = archive_rerender_jobs_add(st, jobs, rules.data);
	buf_free(&rules);
	if (jrc != 0 || store_jobs_add(st, jobs) != 0 || response_jobs_add(app->response, jobs) != 0) {
		log_error("start-up failed: the background jobs could not be added");
		goto done;
	}
	mail_outbox_start(&outbox, st, &mail_cfg, jobs);
	if (app_housekeeping_add(app, jobs) != 0) { /* the day's invitations, old counters */
		log_error("start-up failed: the community's housekeeping could not be added");
		goto done;
	}
	if (jobs_start(jobs) != 0) {
		log_error("start-up failed: the background jobs could not start");
		goto done;
	}
	log_batch_start();
	log_info("Quire %s serving with data in %s", QUIRE_VERSION, cfg->data_dir);
	print_listening(cfg->listen_host, http_server_port(srv));
	int sig = 0;
	sigwait(&stop, &sig);
	log_info("received %s: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
	http_server_stop(srv, 10);
	code = 0;
done:
	if (srv && code != 0)
		http_server_stop(srv, 10);
	jobs_stop(jobs); /* each job finishes its round and drains (counted hits are written) */
	mail_outbox_free(outbox);
	password_helper_stop();
	metrics_reset(); /* the sources point into the server and the application, freed next */
	web_free(app);
	if (st)
		store_close(st);
	store_metrics_unregister();
	log_batch_stop();
	if (code == 0)
		log_info("stopped cleanly");
	return code;
}

int cli_user_add(const struct config *cfg, const char *name, const char *email, const char *role)
{
	char line[2048];
	if (!fgets(line, sizeof line, stdin)) {
		fprintf(stderr, "quire: give the password on standard input\n");
		return 2;
	}
	line[strcspn(line, "\r\n")] = '\0';
	struct store *st;
	if (open_store(cfg, &st) != 0)
		return 1;
	struct field_errors errors = {0};
	int64_t id;
	struct arena *a = arena_new();
	int rc = archive_account_signup(st, a, name, email, line, NULL, role, &id, &errors);
	explicit_bzero(line, sizeof line);
	store_close(st);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "quire: %s: %s\n", errors.items[i].field, errors.items[i].message);
	arena_free(a);
	if (rc != 0)
		return 1;
	printf("created user %s (id %lld, role %s)\n", name, (long long)id, role);
	return 0;
}

int cli_token_add(const struct config *cfg, const char *user, const char *token_name)
{
	struct store *st;
	if (open_store(cfg, &st) != 0)
		return 1;
	struct arena *a = arena_new();
	struct user u;
	int code = 1;
	if (store_user_get_by_name(st, a, user, &u) != 0) {
		fprintf(stderr, "quire: no such user: %s\n", user);
		goto done;
	}
	char token[TOKEN_HEX_LEN + 1];
	struct field_errors errors = {0};
	int rc = archive_token_create(st, a, u.id, token_name, token, &errors);
	for (size_t i = 0; i < errors.n; i++)
		fprintf(stderr, "quire: %s\n", errors.items[i].message);
	if (rc != 0) {
		if (!errors.n)
			fprintf(stderr, "quire: the token could not be stored\n");
		goto done;
	}
	printf("%s\n", token);
	code = 0;
done:
	arena_free(a);
	store_close(st);
	return code;
}

int cli_backup(const struct config *cfg, const char *path)
{
	struct store *st;
	if (open_store(cfg, &st) != 0)
		return 1;
	if (!store_has(st, STORE_CAP_BACKUP_FILE)) {
		fprintf(stderr, "quire: this store is backed up with its database's own tools (pg_dump for PostgreSQL)\n");
		store_close(st);
		return 1;
	}
	int rc = store_backup(st, path);
	store_close(st);
	if (rc != 0) {
		fprintf(stderr, "quire: backup to %s failed\n", path);
		return 1;
	}
	printf("backed up to %s\n", path);
	return 0;
}

/* ---- mail ---- */

int cli_user_role(const struct config *cfg, const char *name, const char *role)
{
	/* Through moderation: the change lands in the audit log and the account is told (cli_admin.c). */
	return cli_role_logged(cfg, name, role, "Set from the command line.");
}

int cli_user_password(const struct config *cfg, const char *name)
{
	char line[2048];
	if (!fgets(line, sizeof line, stdin)) {
		fprintf(stderr, "quire: give the new password on standard input\n");
		return 2;
	}
	line[strcspn(line, "\r\n")] = '\0';
	const char *problem = account_password_problem(line, NULL);
	if (problem) {
		explicit_bzero(line, sizeof line);
		fprintf(stderr, "quire: %s\n", problem);
		return 1;
	}
	char hash[PASSWORD_HASH_MAX];
	struct store *st;
	if (open_store(cfg, &st) != 0) {
		explicit_bzero(line, sizeof line);
		return 1;
	}
	int code = 1;
	struct arena *a = arena_new();
	struct user u;
	int rc = store_user_get_by_name(st, a, name, &u);
	if (rc != 0 || !strcmp(u.role, "orphan")) {
		fprintf(stderr, "quire: no such user: %s\n", name);
		goto done;
	}
	if (password_hash(line, strlen(line), hash) != 0 ||
	    store_password_reset(st, u.id, NULL, (int64_t)time(NULL), hash, NULL) != 0) {
		fprintf(stderr, "quire: the password could not be changed\n");
		goto done;
	}
	printf("changed the password of %s; all of their sessions have ended\n", u.name);
	code = 0;
done:
	explicit_bzero(line, sizeof line);
	arena_free(a);
	store_close(st);
	return code;
}

int cli_store_copy(const char *from, const char *to, bool force)
{
	char err[1024];
	log_set_quiet(0); /* what went wrong in the copy is logged */
	if (store_copy(from, to, force, stdout, err, sizeof err) != 0) {
		fprintf(stderr, "quire: store copy: %s\n", err);
		return 1;
	}
	return 0;
}
