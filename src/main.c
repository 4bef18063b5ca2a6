/* Quire entry point: parses the command line and configuration, then runs a command from app/cli.c. */
#include "archive/roles.h"
#include "core/config.h"
#include "core/log.h"
#include "app/cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
	        "Quire %s: a self-hosted fan fiction archive.\n\n"
	        "Usage:\n"
	        "  quire serve [--listen HOST:PORT] [--data DIR] [--store URL] [--config FILE] [--no-demo]\n"
	        "              [--trusted-proxies ADDR,CIDR,...]\n"
	        "  quire user add NAME EMAIL [--role user|moderator|wrangler|admin]   (password on standard input)\n"
	        "  quire user password NAME                                (new password on standard input)\n"
	        "  quire user role NAME user|moderator|wrangler|admin\n"
	        "  quire user suspend NAME --days N [--reason TEXT] [--hide-works]\n"
	        "  quire user ban NAME [--reason TEXT] [--hide-works]\n"
	        "  quire user unban NAME [--reason TEXT]                    (lifts a suspension or ban)\n"
	        "  quire report list [--status open|in_progress|resolved|rejected|all]\n"
	        "  quire token add USER [--name NAME]                      (prints a new API token)\n"
	        "  quire backup FILE                                      (consistent copy of the database)\n"
	        "  quire store copy --from URL --to URL [--force]         (the whole archive to another store)\n"
	        "  quire --help | --version\n\n"
	        "Every command takes --data DIR, --store URL (default sqlite:DIR/quire.db) and --config FILE; mail\n"
	        "settings also --smtp-url URL, --smtp-user NAME, --smtp-password TEXT, --mail-from ADDR and --base-url URL.\n"
	        "Settings come from defaults, then the config file, then QUIRE_* environment variables, then flags\n"
	        "(later wins). See README.md.\n",
	        QUIRE_VERSION);
}

/* ---- mail: --smtp-url and friends set the config key of the same name ---- */
static const char *const mail_flags[][2] = {
	{"--smtp-url", "smtp_url"}, {"--smtp-user", "smtp_user"}, {"--smtp-password", "smtp_password"},
	{"--mail-from", "mail_from"}, {"--base-url", "base_url"},
};
enum { NMAIL_FLAGS = sizeof mail_flags / sizeof mail_flags[0] };

static int mail_flag(const char *arg)
{
	for (int k = 0; k < NMAIL_FLAGS; k++)
		if (!strcmp(arg, mail_flags[k][0]))
			return k;
	return -1;
}

int main(int argc, char **argv)
{
	struct config cfg;
	config_defaults(&cfg);
	const char *pos[4] = {0}, *config_file = getenv("QUIRE_CONFIG"), *role = "user", *token_name = "cli";
	const char *flag_listen = NULL, *flag_data = NULL, *flag_store = NULL, *flag_proxies = NULL;
	const char *copy_from = NULL, *copy_to = NULL; /* quire store copy */
	bool no_demo = false, force = false;
	/* Running a community: quire user suspend|ban|unban, quire report list */
	const char *flag_days = NULL, *flag_reason = NULL, *flag_status = NULL;
	bool hide_works = false;
	int npos = 0;
	const char *mail_values[NMAIL_FLAGS] = {0}; /* mail: values of the mail_flags given */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("quire %s\n", QUIRE_VERSION);
			return 0;
		} else if (!strcmp(a, "--no-demo")) {
			no_demo = true;
		} else if (!strcmp(a, "--force")) {
			force = true;
		} else if (next && (!strcmp(a, "--from") || !strcmp(a, "--to"))) {
			*(!strcmp(a, "--from") ? &copy_from : &copy_to) = next;
			i++;
		} else if (!strcmp(a, "--hide-works")) {
			hide_works = true;
		} else if (next && (!strcmp(a, "--days") || !strcmp(a, "--reason") || !strcmp(a, "--status"))) {
			if (!strcmp(a, "--days")) flag_days = next;
			else if (!strcmp(a, "--reason")) flag_reason = next;
			else flag_status = next;
			i++;
		} else if (next && (!strcmp(a, "--listen") || !strcmp(a, "--data") || !strcmp(a, "--config") ||
		                    !strcmp(a, "--role") || !strcmp(a, "--name") || !strcmp(a, "--store") ||
		                    !strcmp(a, "--trusted-proxies"))) {
			if (!strcmp(a, "--listen")) flag_listen = next;
			else if (!strcmp(a, "--trusted-proxies")) flag_proxies = next;
			else if (!strcmp(a, "--data")) flag_data = next;
			else if (!strcmp(a, "--store")) flag_store = next;
			else if (!strcmp(a, "--config")) config_file = next;
			else if (!strcmp(a, "--role")) role = next;
			else token_name = next;
			i++;
		} else if (next && mail_flag(a) >= 0) {
			mail_values[mail_flag(a)] = next;
			i++;
		} else if (a[0] == '-' || npos >= 4) {
			fprintf(stderr, "quire: unexpected argument %s\n\n", a);
			usage(stderr);
			return 2;
		} else {
			pos[npos++] = a;
		}
	}
	char err[512];
	if (config_file && config_load_file(&cfg, config_file, err, sizeof err) != 0) {
		fprintf(stderr, "quire: %s\n", err);
		return 2;
	}
	if (config_load_env(&cfg, err, sizeof err) != 0 ||
	    !(cfg.loading = "a command-line flag") || /* flags win, and the admin pages say so */
	    (flag_listen && config_set(&cfg, "listen", flag_listen, err, sizeof err) != 0) ||
	    (flag_data && config_set(&cfg, "data", flag_data, err, sizeof err) != 0) ||
	    (flag_store && config_set(&cfg, "store", flag_store, err, sizeof err) != 0) ||
	    (flag_proxies && config_set(&cfg, "trusted_proxies", flag_proxies, err, sizeof err) != 0)) {
		fprintf(stderr, "quire: %s\n", err);
		return 2;
	}
	for (int k = 0; k < NMAIL_FLAGS; k++) {
		if (mail_values[k] && config_set(&cfg, mail_flags[k][1], mail_values[k], err, sizeof err) != 0) {
			fprintf(stderr, "quire: %s\n", err);
			return 2;
		}
	}
	cfg.loading = NULL;
	if (no_demo)
		cfg.demo = false;
	const char *cmd = pos[0] ? pos[0] : "";
	if (!strcmp(cmd, "serve") && npos == 1)
		return cli_serve(&cfg);
	log_set_quiet(1);
	if (!strcmp(cmd, "user") && npos == 4 && !strcmp(pos[1], "add")) {
		if (!archive_role_known(role)) {
			fprintf(stderr, "quire: --role is user, moderator, wrangler or admin\n");
			return 2;
		}
		return cli_user_add(&cfg, pos[2], pos[3], role);
	}
	if (!strcmp(cmd, "user") && npos == 3 && !strcmp(pos[1], "password"))
		return cli_user_password(&cfg, pos[2]);
	if (!strcmp(cmd, "user") && npos == 4 && !strcmp(pos[1], "role"))
		return flag_reason ? cli_role_logged(&cfg, pos[2], pos[3], flag_reason) : cli_user_role(&cfg, pos[2], pos[3]);
	if (!strcmp(cmd, "user") && npos == 3 && !strcmp(pos[1], "suspend")) {
		int days = flag_days && strspn(flag_days, "0123456789") == strlen(flag_days) && strlen(flag_days) <= 3
		                   ? atoi(flag_days) : -1;
		if (days < 1) {
			fprintf(stderr, "quire: quire user suspend NAME --days N (1 to 365)\n");
			return 2;
		}
		return cli_user_sanction(&cfg, pos[2], days, flag_reason ? flag_reason : "Suspended from the command line.",
		                         hide_works);
	}
	if (!strcmp(cmd, "user") && npos == 3 && !strcmp(pos[1], "ban"))
		return cli_user_sanction(&cfg, pos[2], 0, flag_reason ? flag_reason : "Banned from the command line.", hide_works);
	if (!strcmp(cmd, "user") && npos == 3 && !strcmp(pos[1], "unban"))
		return cli_user_unban(&cfg, pos[2], flag_reason ? flag_reason : "Lifted from the command line.");
	if (!strcmp(cmd, "report") && npos == 2 && !strcmp(pos[1], "list"))
		return cli_report_list(&cfg, flag_status);
	if (!strcmp(cmd, "token") && npos == 3 && !strcmp(pos[1], "add"))
		return cli_token_add(&cfg, pos[2], token_name);
	if (!strcmp(cmd, "backup") && npos == 2)
		return cli_backup(&cfg, pos[1]);
	if (!strcmp(cmd, "store") && npos == 2 && !strcmp(pos[1], "copy")) {
		if (!copy_from || !copy_to) {
			fprintf(stderr, "quire: store copy needs --from URL and --to URL\n");
			return 2;
		}
		return cli_store_copy(copy_from, copy_to, force);
	}
	usage(stderr);
	return 2;
}
