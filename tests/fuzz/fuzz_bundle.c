/*
 * fuzz_bundle.c - the model bundle loader (st_model_load) past its
 * checksums.
 *
 * At start-up a tiny model is trained from the rows below and saved to a
 * temporary directory.  Each input then replaces one file of that bundle:
 * the first byte chooses the file (modulo the number of choices), the rest
 * is its new content.  The MANIFEST is rewritten with the right checksums,
 * so the loader's parsers (params.tsv, vocab.tsv, labels, VERSION, the
 * lexicon copy, libsvm's model.svm, the linear weights of weights.bin and
 * the consistency checks between them) see the fuzzed bytes instead of
 * stopping at "checksum mismatch".
 * Two more choices fuzz the MANIFEST itself: raw, and with a correct
 * "manifest HEX" line appended.  A bundle that loads must predict.
 * The original file is put back after each input.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "st_dataset.h"
#include "st_lexicon.h"
#include "st_model.h"
#include "st_params.h"
#include "st_sha256.h"
#include "st_train.h"

/* Eight quotes per label, short enough to train in a few milliseconds. */
static const char train_tsv[] =
    "id\tlabel\tquote\tsentence\n"
    "t1\tthreatening\tWe will crush anyone who crosses the border.\t\"We will crush anyone who crosses the border,\" the general said.\n"
    "t2\tthreatening\tThey will pay a heavy price for this attack.\t\"They will pay a heavy price for this attack,\" he warned.\n"
    "t3\tthreatening\tOur missiles are ready to strike.\t\"Our missiles are ready to strike,\" the minister said.\n"
    "t4\tthreatening\tWe will not hesitate to retaliate.\t\"We will not hesitate to retaliate,\" she told reporters.\n"
    "t5\tthreatening\tAny provocation will be met with force.\t\"Any provocation will be met with force,\" the spokesman said.\n"
    "t6\tthreatening\tThe enemy will be destroyed.\t\"The enemy will be destroyed,\" the commander said.\n"
    "t7\tthreatening\tWe will retaliate with overwhelming force.\t\"We will retaliate with overwhelming force,\" he said.\n"
    "t8\tthreatening\tThose responsible will be punished severely.\t\"Those responsible will be punished severely,\" the president warned.\n"
    "c1\tconciliatory\tWe are ready to talk and to find a solution.\t\"We are ready to talk and to find a solution,\" the envoy said.\n"
    "c2\tconciliatory\tWe welcome the ceasefire and hope for peace.\t\"We welcome the ceasefire and hope for peace,\" she said.\n"
    "c3\tconciliatory\tDialogue is the only way forward.\t\"Dialogue is the only way forward,\" the minister said.\n"
    "c4\tconciliatory\tWe extend our hand in friendship.\t\"We extend our hand in friendship,\" he told reporters.\n"
    "c5\tconciliatory\tBoth sides should return to negotiations.\t\"Both sides should return to negotiations,\" the mediator said.\n"
    "c6\tconciliatory\tWe hope to build trust and cooperation.\t\"We hope to build trust and cooperation,\" the president said.\n"
    "c7\tconciliatory\tWe are committed to a peaceful settlement.\t\"We are committed to a peaceful settlement,\" she said.\n"
    "c8\tconciliatory\tLet us work together for peace.\t\"Let us work together for peace,\" the envoy said.\n"
    "n1\tneutral\tThe meeting will take place on Tuesday.\t\"The meeting will take place on Tuesday,\" the spokesman said.\n"
    "n2\tneutral\tWe have received the letter.\t\"We have received the letter,\" the ministry said.\n"
    "n3\tneutral\tThe delegation arrived this morning.\t\"The delegation arrived this morning,\" an official said.\n"
    "n4\tneutral\tThe report will be published next week.\t\"The report will be published next week,\" she said.\n"
    "n5\tneutral\tWe are studying the proposal.\t\"We are studying the proposal,\" the minister said.\n"
    "n6\tneutral\tThe talks lasted three hours.\t\"The talks lasted three hours,\" he said.\n"
    "n7\tneutral\tThe vote is scheduled for Friday.\t\"The vote is scheduled for Friday,\" the clerk said.\n"
    "n8\tneutral\tThe agenda has not been set.\t\"The agenda has not been set,\" a diplomat said.\n";

static const char threat_tsv[] = "term\tweight\tnote\ncrush\t2\tverb\npay a heavy price\t3\tidiom\nstrike\t2\tverb\n"
                                 "retaliate\t2.5\tverb\ndestroyed\t2\tverb\n";
static const char conciliation_tsv[] = "term\tweight\tnote\npeace\t2\tnoun\ndialogue\t2\tnoun\n"
                                       "ceasefire\t1.5\tnoun\nwork together\t2\tphrase\n";
static const char negators_tsv[] = "term\tweight\tnote\nnot\t1\t\nn't\t1\t\n";
static const char verbs_tsv[] = "term\tweight\tnote\nsaid\t1\tsay\nwarned\t1\twarn\ntold\t1\ttell\n";

/* The bundle files a choice names; the last two choices are the MANIFEST. */
#define MAX_MEMBERS 32
static char *member_name[MAX_MEMBERS];
static char *member_data[MAX_MEMBERS];
static size_t member_size[MAX_MEMBERS];
static size_t member_count;
static char bundle_dir[256];
static char root_dir[200];
static char *manifest_data;
static size_t manifest_size;
static int ready;

static char *path_of(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", bundle_dir, name);
    return path;
}

static int write_file(const char *name, const void *data, size_t size)
{
    FILE *fp = fopen(path_of(name), "wb");
    if (!fp)
        return -1;
    int ok = fwrite(data, 1, size, fp) == size;
    return (fclose(fp) == 0 && ok) ? 0 : -1;
}

static char *read_whole(const char *name, size_t *size)
{
    FILE *fp = fopen(path_of(name), "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(fp);
    *size = len;
    return buf;
}

/* "stance-model-bundle 1" line, "HEX  NAME" lines, "manifest HEX" line. */
static char *make_manifest(size_t replaced, const char *data, size_t size, size_t *out_size)
{
    const char *nl = memchr(manifest_data, '\n', manifest_size);
    size_t first = nl ? (size_t)(nl - manifest_data) + 1 : 0;
    size_t cap = first + member_count * (64 + 2 + 256 + 1) + 80;
    char *m = malloc(cap);
    if (!m)
        return NULL;
    memcpy(m, manifest_data, first);
    size_t len = first;
    for (size_t i = 0; i < member_count; i++) {
        char hex[ST_SHA256_HEX_SIZE];
        if (i == replaced)
            st_sha256_hex(data, size, hex);
        else
            st_sha256_hex(member_data[i], member_size[i], hex);
        len += (size_t)snprintf(m + len, cap - len, "%s  %s\n", hex, member_name[i]);
    }
    char hex[ST_SHA256_HEX_SIZE];
    st_sha256_hex(m, len, hex);
    len += (size_t)snprintf(m + len, cap - len, "manifest %s\n", hex);
    *out_size = len;
    return m;
}

static void remove_tree(const char *path);

static void remove_bundle(void)
{
    if (!root_dir[0])
        return;
    remove_tree(root_dir);
    for (size_t i = 0; i < member_count; i++) {
        free(member_name[i]);
        free(member_data[i]);
    }
    free(manifest_data);
}

/* Removes a directory tree of ours (files and directories, any depth). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char child[1024];
            snprintf(child, sizeof child, "%s/%s", path, e->d_name);
            struct stat st;
            if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(child);
            else
                unlink(child);
        }
        closedir(d);
    }
    rmdir(path);
}

/* A crash or libFuzzer's -fork mode ends a process without atexit: remove
 * the bundles of processes that no longer run. */
static void remove_stale(const char *tmp)
{
    DIR *d = opendir(tmp);
    if (!d)
        return;
    static const char prefix[] = "stance-fuzz-bundle.";
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, sizeof prefix - 1) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + sizeof prefix - 1, &end, 10);
        if (*end != '\0' || pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
            remove_tree(path);
        }
    }
    closedir(d);
}

static int build_bundle(void)
{
    const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    remove_stale(tmp);
    snprintf(root_dir, sizeof root_dir, "%s/stance-fuzz-bundle.%ld", tmp, (long)getpid());
    remove_tree(root_dir);
    if (mkdir(root_dir, 0700) != 0)
        return -1;
    snprintf(bundle_dir, sizeof bundle_dir, "%s/model", root_dir);

    st_lexicon *lex = NULL;
    if (st_lexicon_new(&lex) != ST_OK)
        return -1;
    st_lexicon_parse(ST_LEXICON_THREAT, NULL, threat_tsv, strlen(threat_tsv), lex, NULL);
    st_lexicon_parse(ST_LEXICON_CONCILIATION, NULL, conciliation_tsv, strlen(conciliation_tsv), lex, NULL);
    st_lexicon_parse(ST_LEXICON_NEGATOR, NULL, negators_tsv, strlen(negators_tsv), lex, NULL);
    st_lexicon_parse(ST_LEXICON_ATTRIBUTION_VERB, NULL, verbs_tsv, strlen(verbs_tsv), lex, NULL);

    st_dataset *ds = NULL;
    FILE *fp = fmemopen((void *)train_tsv, strlen(train_tsv), "rb");
    st_diag diag;
    st_diag_clear(&diag);
    if (!fp || st_dataset_new(&ds) != ST_OK ||
        st_dataset_read(ds, fp, "fuzz-train.tsv", ST_DATASET_LABELLED, &diag) != ST_OK) {
        fprintf(stderr, "fuzz_bundle: training rows: %s\n", diag.message);
        return -1;
    }
    fclose(fp);
    st_params params;
    st_params_default(&params);
    params.folds = 2;
    params.min_count = 1;
    params.grid = 0;
    st_model_quiet_libsvm();
    st_train_options options = {.params = &params, .lexicon = lex};
    st_train_report report;
    memset(&report, 0, sizeof report);
    st_model *model = NULL;
    st_status status = st_train(ds, &options, &model, &report, &diag);
    st_train_report_clear(&report);
    if (status == ST_OK)
        status = st_model_save(model, bundle_dir, &diag);
    st_model_free(model);
    st_dataset_free(ds);
    st_lexicon_free(lex);
    if (status != ST_OK) {
        fprintf(stderr, "fuzz_bundle: making the bundle: %s\n", diag.message);
        return -1;
    }

    /* The members, in the manifest's order. */
    manifest_data = read_whole("MANIFEST", &manifest_size);
    if (!manifest_data)
        return -1;
    const char *p = memchr(manifest_data, '\n', manifest_size);
    const char *end = manifest_data + manifest_size;
    while (p && ++p < end && member_count < MAX_MEMBERS) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl || (size_t)(nl - p) < 67 || strncmp(p, "manifest ", 9) == 0)
            break;
        size_t n = (size_t)(nl - p) - 66;
        char *name = malloc(n + 1);
        if (!name)
            return -1;
        memcpy(name, p + 66, n);
        name[n] = '\0';
        member_name[member_count] = name;
        member_data[member_count] = read_whole(name, &member_size[member_count]);
        if (!member_data[member_count])
            return -1;
        member_count++;
        p = nl;
    }
    return member_count > 0 ? 0 : -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    atexit(remove_bundle);
    if (build_bundle() != 0) {
        fprintf(stderr, "fuzz_bundle: cannot build the seed bundle\n");
        abort();
    }
    /* Sanity: the untouched bundle loads. */
    st_model *model = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    if (st_model_load(bundle_dir, &model, &diag) != ST_OK) {
        fprintf(stderr, "fuzz_bundle: the seed bundle does not load: %s\n", diag.message);
        abort();
    }
    st_model_free(model);
    ready = 1;
    /* STANCE_FUZZ_BUNDLE_SEEDS=DIR writes one seed per choice (the file as
     * it is), to rebuild tests/fuzz/corpus/fuzz_bundle/ after a format change. */
    const char *seeds = getenv("STANCE_FUZZ_BUNDLE_SEEDS");
    for (size_t i = 0; seeds && i < member_count + 2; i++) {
        char path[512], safe[128];
        const char *name = i < member_count ? member_name[i] : i == member_count ? "MANIFEST" : "MANIFEST-self";
        snprintf(safe, sizeof safe, "%s", name);
        for (char *c = safe; *c; c++)
            if (*c == '/')
                *c = '-';
        snprintf(path, sizeof path, "%s/%02zu-%s", seeds, i, safe);
        FILE *fp = fopen(path, "wb");
        if (!fp)
            continue;
        fputc((int)i, fp);
        if (i < member_count)
            fwrite(member_data[i], 1, member_size[i], fp);
        else if (i == member_count)
            fwrite(manifest_data, 1, manifest_size, fp);
        else
            fwrite(manifest_data, 1, manifest_size - (9 + 64 + 1), fp); /* without its last line */
        fclose(fp);
    }
    return 0;
}

static void use_model(const st_model *model)
{
    st_extractor *x = NULL;
    FUZZ_CHECK(st_model_extractor_new(model, &x) == ST_OK);
    static const char quote[] = "We will strike back and they will pay a heavy price";
    static const char sentence[] = "\"We will strike back and they will pay a heavy price,\" he said.";
    st_example ex = {quote, sizeof quote - 1, sentence, sizeof sentence - 1};
    st_prediction pred;
    st_explanation explanation = {0};
    if (st_model_predict(model, x, &ex, &pred, 5, &explanation) == ST_OK) {
        FUZZ_CHECK(pred.label >= 0 && pred.label < ST_LABEL_COUNT);
        for (size_t i = 0; i < explanation.count; i++)
            FUZZ_CHECK(explanation.items[i].name != NULL);
    }
    st_explanation_clear(&explanation);
    st_extractor_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        LLVMFuzzerInitialize(NULL, NULL);
    if (size == 0)
        return 0;
    size_t choice = data[0] % (member_count + 2);
    const char *bytes = (const char *)data + 1;
    size_t n = size - 1;
    char *manifest = NULL;
    size_t msize = 0;
    if (choice < member_count) {
        manifest = make_manifest(choice, bytes, n, &msize);
        FUZZ_CHECK(manifest != NULL);
        FUZZ_CHECK(write_file(member_name[choice], bytes, n) == 0);
        FUZZ_CHECK(write_file("MANIFEST", manifest, msize) == 0);
    } else if (choice == member_count) {
        FUZZ_CHECK(write_file("MANIFEST", bytes, n) == 0);
    } else {
        char hex[ST_SHA256_HEX_SIZE];
        st_sha256_hex(bytes, n, hex);
        msize = n + 9 + 64 + 1;
        manifest = malloc(msize + 1);
        FUZZ_CHECK(manifest != NULL);
        memcpy(manifest, bytes, n);
        snprintf(manifest + n, msize + 1 - n, "manifest %s\n", hex);
        FUZZ_CHECK(write_file("MANIFEST", manifest, msize) == 0);
    }

    st_model *model = NULL;
    st_diag diag;
    st_diag_clear(&diag);
    st_status status = st_model_load(bundle_dir, &model, &diag);
    if (status == ST_OK) {
        FUZZ_CHECK(model != NULL);
        use_model(model);
        st_model_free(model);
    } else {
        FUZZ_CHECK(model == NULL);
        FUZZ_CHECK(status == ST_ERR_MODEL || status == ST_ERR_NOMEM);
        FUZZ_CHECK(diag.message[0] != '\0');
    }

    /* Put the bundle back. */
    if (choice < member_count)
        FUZZ_CHECK(write_file(member_name[choice], member_data[choice], member_size[choice]) == 0);
    FUZZ_CHECK(write_file("MANIFEST", manifest_data, manifest_size) == 0);
    free(manifest);
    return 0;
}
