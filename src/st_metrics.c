/* st_metrics.c - confusion matrix, per-label P/R/F1, macro-F1, accuracy. */
#include "st_metrics.h"

#include <string.h>

void st_metrics_clear(st_metrics *m)
{
    memset(m, 0, sizeof *m);
}

void st_metrics_add(st_metrics *m, int gold, int predicted)
{
    if (gold < 0 || gold >= ST_LABEL_COUNT || predicted < 0 || predicted >= ST_LABEL_COUNT)
        return;
    m->confusion[gold][predicted]++;
}

void st_metrics_merge(st_metrics *m, const st_metrics *other)
{
    for (int g = 0; g < ST_LABEL_COUNT; g++)
        for (int p = 0; p < ST_LABEL_COUNT; p++)
            m->confusion[g][p] += other->confusion[g][p];
}

size_t st_metrics_total(const st_metrics *m)
{
    size_t n = 0;
    for (int g = 0; g < ST_LABEL_COUNT; g++)
        for (int p = 0; p < ST_LABEL_COUNT; p++)
            n += m->confusion[g][p];
    return n;
}

size_t st_metrics_correct(const st_metrics *m)
{
    size_t n = 0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        n += m->confusion[l][l];
    return n;
}

size_t st_metrics_match(const st_metrics *m, int label)
{
    return label >= 0 && label < ST_LABEL_COUNT ? m->confusion[label][label] : 0;
}

size_t st_metrics_predicted(const st_metrics *m, int label)
{
    size_t n = 0;
    if (label >= 0 && label < ST_LABEL_COUNT)
        for (int g = 0; g < ST_LABEL_COUNT; g++)
            n += m->confusion[g][label];
    return n;
}

size_t st_metrics_support(const st_metrics *m, int label)
{
    size_t n = 0;
    if (label >= 0 && label < ST_LABEL_COUNT)
        for (int p = 0; p < ST_LABEL_COUNT; p++)
            n += m->confusion[label][p];
    return n;
}

/* The divisions and their order follow score-labels, so the doubles agree. */
double st_metrics_precision(const st_metrics *m, int label)
{
    size_t d = st_metrics_predicted(m, label);
    return d ? (double)st_metrics_match(m, label) / (double)d : 0.0;
}

double st_metrics_recall(const st_metrics *m, int label)
{
    size_t d = st_metrics_support(m, label);
    return d ? (double)st_metrics_match(m, label) / (double)d : 0.0;
}

double st_metrics_f1(const st_metrics *m, int label)
{
    double p = st_metrics_precision(m, label), r = st_metrics_recall(m, label);
    return p + r != 0.0 ? 2 * p * r / (p + r) : 0.0;
}

double st_metrics_accuracy(const st_metrics *m)
{
    size_t n = st_metrics_total(m);
    return n ? (double)st_metrics_correct(m) / (double)n : 0.0;
}

/* Python's sum() adds left to right from 0; so do we. */
double st_metrics_macro_precision(const st_metrics *m)
{
    double s = 0.0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        s += st_metrics_precision(m, l);
    return s / ST_LABEL_COUNT;
}

double st_metrics_macro_recall(const st_metrics *m)
{
    double s = 0.0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        s += st_metrics_recall(m, l);
    return s / ST_LABEL_COUNT;
}

double st_metrics_macro_f1(const st_metrics *m)
{
    double s = 0.0;
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        s += st_metrics_f1(m, l);
    return s / ST_LABEL_COUNT;
}

st_status st_metrics_write_table(const st_metrics *m, FILE *fp, int indent)
{
    int in = indent > 0 ? indent : 0;
    fprintf(fp, "%*sPerformance by label (#match, #model, #ref) (precision, recall, F1):\n", in, "");
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        fprintf(fp, "%*s    %s: (%zu, %zu, %zu) (%.3f, %.3f, %.3f)\n", in, "", st_label_name(l),
                st_metrics_match(m, l), st_metrics_predicted(m, l), st_metrics_support(m, l),
                st_metrics_precision(m, l), st_metrics_recall(m, l), st_metrics_f1(m, l));
    fprintf(fp, "%*sMacro-average precision, recall, F1: (%.3f, %.3f, %.3f)\n", in, "",
            st_metrics_macro_precision(m), st_metrics_macro_recall(m), st_metrics_macro_f1(m));
    fprintf(fp, "%*sAccuracy: %zu / %zu (%.3f)\n", in, "", st_metrics_correct(m), st_metrics_total(m),
            st_metrics_accuracy(m));
    fprintf(fp, "%*sMacro-F1: %.3f\n", in, "", st_metrics_macro_f1(m));
    fprintf(fp, "%*sConfusion matrix (rows gold, columns predicted):\n", in, "");
    fprintf(fp, "%*s    %12s", in, "", "");
    for (int p = 0; p < ST_LABEL_COUNT; p++)
        fprintf(fp, " %12s", st_label_name(p));
    fputc('\n', fp);
    for (int g = 0; g < ST_LABEL_COUNT; g++) {
        fprintf(fp, "%*s    %12s", in, "", st_label_name(g));
        for (int p = 0; p < ST_LABEL_COUNT; p++)
            fprintf(fp, " %12zu", m->confusion[g][p]);
        fputc('\n', fp);
    }
    return ferror(fp) ? ST_ERR_IO : ST_OK;
}

st_status st_metrics_write_json(const st_metrics *m, FILE *fp, int indent)
{
    int in = indent > 0 ? indent : 0;
    fprintf(fp, "{\n%*s  \"rows\": %zu,\n%*s  \"correct\": %zu,\n", in, "", st_metrics_total(m), in, "",
            st_metrics_correct(m));
    fprintf(fp, "%*s  \"accuracy\": %.6f,\n", in, "", st_metrics_accuracy(m));
    fprintf(fp, "%*s  \"macro_precision\": %.6f,\n", in, "", st_metrics_macro_precision(m));
    fprintf(fp, "%*s  \"macro_recall\": %.6f,\n", in, "", st_metrics_macro_recall(m));
    fprintf(fp, "%*s  \"macro_f1\": %.6f,\n", in, "", st_metrics_macro_f1(m));
    fprintf(fp, "%*s  \"labels\": {\n", in, "");
    for (int l = 0; l < ST_LABEL_COUNT; l++)
        fprintf(fp,
                "%*s    \"%s\": {\"precision\": %.6f, \"recall\": %.6f, \"f1\": %.6f, "
                "\"match\": %zu, \"predicted\": %zu, \"support\": %zu}%s\n",
                in, "", st_label_name(l), st_metrics_precision(m, l), st_metrics_recall(m, l),
                st_metrics_f1(m, l), st_metrics_match(m, l), st_metrics_predicted(m, l),
                st_metrics_support(m, l), l + 1 < ST_LABEL_COUNT ? "," : "");
    fprintf(fp, "%*s  },\n%*s  \"confusion\": [", in, "", in, "");
    for (int g = 0; g < ST_LABEL_COUNT; g++) {
        fputc('[', fp);
        for (int p = 0; p < ST_LABEL_COUNT; p++)
            fprintf(fp, "%zu%s", m->confusion[g][p], p + 1 < ST_LABEL_COUNT ? ", " : "");
        fprintf(fp, "]%s", g + 1 < ST_LABEL_COUNT ? ", " : "");
    }
    fprintf(fp, "]\n%*s}", in, "");
    return ferror(fp) ? ST_ERR_IO : ST_OK;
}
