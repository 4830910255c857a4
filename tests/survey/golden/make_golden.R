# Golden reference values for equals.survey, computed with R's `survey` package (Lumley).
#
# Usage:  Rscript make_golden.R [OUTDIR]     (OUTDIR defaults to this script's directory)
#
# Writes the input data as CSV (R's own `data(api)` examples, column subsets, and a small
# simulated stratified two-stage household survey generated here from a fixed seed), READS THE
# CSV BACK so R and Python see byte-identical numbers, then computes design-based estimates and
# writes them to golden.json (with the R and survey versions and this script's name).
#
# R semantics pinned here (survey >= 4.1):
#   * svydesign(ids=~psu, strata=~str, weights=~w, fpc=~f, nest=TRUE): Taylor linearisation,
#     with-replacement first stage (unless fpc given), variance from PSU totals (svyrecvar).
#   * domains: the subset design, as svyby() builds it (design[byfactor %in% level, ]).
#   * na.rm = TRUE: rows with a missing analysis value leave the estimate's domain.
#   * deff = TRUE: variance under SRS *without* replacement, N = sum of weights;
#     deff = "replace": SRS with replacement.
#   * degf(design) = #PSU - #strata (of the subset, for domains).
#   * svyciprop(method = "xlogit") == method = "logit" (Wald interval on the logit scale).
#   * gaps: svyby(..., covmat = TRUE) then svycontrast() with quote() expressions.

suppressPackageStartupMessages(library(survey))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

args <- commandArgs(trailingOnly = TRUE)
script_dir <- local({
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  if (length(f)) dirname(normalizePath(f)) else "."
})
outdir <- if (length(args)) args[1] else script_dir
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

# ---------------------------------------------------------------------------------- JSON
jsonobj <- function(x) structure(x, class = "jsonobj")
esc <- function(s) paste0('"', gsub('"', '\\\\"', gsub("\\\\", "\\\\\\\\", s)), '"')
num <- function(v) if (is.na(v) || !is.finite(v)) "null" else sprintf("%.17g", v)
tojson <- function(x) {
  if (inherits(x, "jsonobj") || (is.list(x) && !is.null(names(x)))) {
    x <- unclass(x)
    if (!length(x)) return("{}")
    items <- vapply(names(x), function(k) paste0(esc(k), ": ", tojson(x[[k]])), "")
    return(paste0("{", paste(items, collapse = ", "), "}"))
  }
  if (is.list(x)) {
    objects <- length(x) && all(vapply(x, function(e) is.list(e) && !is.null(names(e)), TRUE))
    return(paste0("[", paste(vapply(x, tojson, ""), collapse = if (objects) ",\n" else ", "), "]"))
  }
  if (is.null(x)) return("null")
  if (length(x) != 1) stop("scalars only; wrap vectors in as.list()")
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
  if (is.character(x) || is.factor(x)) return(esc(as.character(x)))
  num(x)
}

# ---------------------------------------------------------------------------------- data
write_read <- function(df, name) {
  path <- file.path(outdir, paste0(name, ".csv"))
  write.csv(df, path, row.names = FALSE, na = "")
  read.csv(path, stringsAsFactors = FALSE)
}

data(api)
keep <- c("cds", "stype", "dnum", "snum", "api00", "api99", "enroll", "api.stu", "meals",
          "sch.wide", "comp.imp", "both", "acs.k3", "pw")
datasets <- list(
  apistrat = write_read(apistrat[, c(keep, "fpc")], "apistrat"),
  apiclus1 = write_read(apiclus1[, c(keep, "fpc")], "apiclus1"),
  apiclus2 = write_read(apiclus2[, keep], "apiclus2")
)

simulate <- function() {
  set.seed(20161206)
  regions <- c("north", "south", "east", "west")
  n_psu <- c(3, 5, 4, 6, 2, 4, 3, 5)          # PSUs sampled per stratum
  N_psu <- n_psu * c(12, 20, 9, 15, 6, 25, 11, 14)  # PSUs in the population
  rows <- list()
  s <- 0
  for (r in regions) for (u in c("urban", "rural")) {
    s <- s + 1
    stratum <- paste(r, u, sep = "-")
    for (p in seq_len(n_psu[s])) {
      m <- 8 + rpois(1, 10)                 # persons interviewed in this PSU
      M <- m * (3 + rpois(1, 4))            # persons living in it
      re <- rnorm(1, 0, 0.6)                # cluster effect (realistic deff)
      sex <- sample(1:2, m, replace = TRUE) # 1 = male, 2 = female
      age <- sample(15:74, m, replace = TRUE)
      eta <- -0.3 + 0.5 * (u == "urban") - 0.4 * (sex == 2) - 0.02 * (age - 40) +
        0.3 * (r == "north") + re
      internet <- rbinom(m, 1, plogis(eta))
      hours <- round(pmax(0, rnorm(m, 6 + 4 * internet + re, 3)), 2)
      hours[runif(m) < 0.08] <- NA
      income <- round(rlnorm(m, 5 + 0.3 * (u == "urban") + 0.2 * re, 0.5), 2)
      spend <- round(income * runif(m, 0.02, 0.12) * (1 + internet), 2)
      edu <- sample(c("none", "primary", "secondary", "tertiary"), m, replace = TRUE,
                    prob = c(0.15, 0.35, 0.35, 0.15))
      w <- round(N_psu[s] / n_psu[s] * M / m * runif(m, 0.8, 1.25), 3)
      rows[[length(rows) + 1]] <- data.frame(
        region = r, urban = u, stratum = stratum, psu = p, sex = sex, age = age,
        agegroup = ifelse(age < 25, "15-24", ifelse(age < 50, "25-49", "50-74")),
        edu = edu, internet = internet, hours = hours, income = income, spend = spend,
        w = w, fpc_n = N_psu[s], fpc_frac = n_psu[s] / N_psu[s]
      )
    }
  }
  d <- do.call(rbind, rows)
  # Lonely-PSU variant: split the only 2-PSU stratum into two strata of one PSU each.
  two <- unique(d$stratum[d$stratum == "east-urban"])  # east-urban has 2 PSUs
  d$stratum_l <- ifelse(d$stratum == two, paste0(d$stratum, "-", d$psu), d$stratum)
  # A fully enumerated stratum (fpc == number sampled): zero variance contribution.
  d$fpc_cert <- ifelse(d$stratum == "north-urban", 3, d$fpc_n)
  # Zero weights (every 13th row; a rule, not a draw, so the RNG stream above is unchanged):
  # such rows stay in the design but count in no domain's n, df or design effect.
  d$w0 <- ifelse(seq_len(nrow(d)) %% 13 == 0, 0, d$w)
  d
}
datasets$sim <- write_read(simulate(), "sim")

# ---------------------------------------------------------------------------------- designs
mkdesign <- function(spec) {
  d <- datasets[[spec$data]]
  f <- function(v) if (is.null(v)) NULL else as.formula(paste0("~", v))
  svydesign(ids = if (is.null(spec$psu)) ~1 else f(spec$psu), strata = f(spec$strata),
            weights = f(spec$weight), fpc = f(spec$fpc), data = d, nest = TRUE)
}

spec <- function(data, weight, strata = NULL, psu = NULL, fpc = NULL, lonely = "fail")
  list(data = data, weight = weight, strata = strata, psu = psu, fpc = fpc, lonely = lonely)

out_design <- function(s) jsonobj(Filter(Negate(is.null), s))

domains_of <- function(des, by) {
  if (!length(by)) return(list(list(mask = rep(TRUE, nrow(des$variables)), dom = jsonobj(list()))))
  v <- des$variables[, by, drop = FALSE]
  ok <- complete.cases(v) & weights(des) != 0
  key <- do.call(paste, c(v, sep = "\r"))
  levs <- unique(v[ok, , drop = FALSE])
  levs <- levs[do.call(order, unname(as.list(levs))), , drop = FALSE]
  lapply(seq_len(nrow(levs)), function(i) {
    k <- do.call(paste, c(levs[i, , drop = FALSE], sep = "\r"))
    dom <- lapply(by, function(b) as.character(levs[i, b]))
    names(dom) <- by
    list(mask = ok & key == k, dom = jsonobj(dom))
  })
}

ci_t <- function(est, se, df) est + c(-1, 1) * qt(0.975, df) * se
records <- list()
add <- function(x) records[[length(records) + 1]] <<- x

estimate_cases <- function(id, s, means = NULL, totals = NULL, ratios = NULL, props = NULL,
                           levels = NULL, bys = list(NULL)) {
  options(survey.lonely.psu = s$lonely)
  des <- mkdesign(s)
  for (by in bys) for (dm in domains_of(des, by)) {
    sub <- des[dm$mask, ]
    df <- degf(sub)
    base <- list(case = id, design = out_design(s), by = as.list(by), domain = dm$dom, df = df)
    one <- function(stat, variable, fit, extra = list()) {
      est <- unname(coef(fit))[1]
      se <- unname(SE(fit))[1]
      ci <- confint(fit)
      r <- c(base, list(statistic = stat, variable = variable), extra, list(
        estimate = est, se = se, ci_low = ci[1, 1], ci_high = ci[1, 2],
        ci_t_low = ci_t(est, se, df)[1], ci_t_high = ci_t(est, se, df)[2]))
      r
    }
    for (v in means) {
      f <- as.formula(paste0("~", v))
      fit <- svymean(f, sub, na.rm = TRUE, deff = TRUE)
      r <- one("mean", v, fit)
      r$deff <- unname(deff(fit))[1]
      r$deff_replace <- unname(deff(svymean(f, sub, na.rm = TRUE, deff = "replace")))[1]
      r$n <- as.numeric(unwtd.count(f, sub))  # rows with a value and a non-zero weight
      r$weighted_n <- sum(weights(sub)[!is.na(sub$variables[[v]])])
      add(r)
    }
    for (v in totals) {
      f <- as.formula(paste0("~", v))
      fit <- svytotal(f, sub, na.rm = TRUE, deff = TRUE)
      r <- one("total", v, fit)
      r$deff <- unname(deff(fit))[1]
      r$deff_replace <- unname(deff(svytotal(f, sub, na.rm = TRUE, deff = "replace")))[1]
      add(r)
    }
    for (rv in ratios) {
      fn <- as.formula(paste0("~", rv[1]))
      fd <- as.formula(paste0("~", rv[2]))
      fit <- svyratio(fn, fd, sub, na.rm = TRUE, deff = TRUE)
      r <- one("ratio", rv[1], fit, list(denominator = rv[2]))
      r$estimate <- unname(coef(fit))[1]
      r$deff <- unname(attr(fit, "deff"))[1]
      r$deff_replace <- unname(attr(svyratio(fn, fd, sub, na.rm = TRUE, deff = "replace"),
                                    "deff"))[1]
      add(r)
    }
    prop_case <- function(variable, level, f) {
      fit <- svymean(f, sub, na.rm = TRUE, deff = TRUE)
      r <- one("proportion", variable, fit, if (is.null(level)) list() else list(level = level))
      r$deff <- unname(deff(fit))[1]
      lg <- svyciprop(f, sub, method = "logit", na.rm = TRUE)
      xl <- svyciprop(f, sub, method = "xlogit", na.rm = TRUE)
      xi <- svyciprop(f, sub, method = "xlogit", na.rm = TRUE, df = Inf)
      if (all(is.finite(attr(xl, "ci"))) && all(is.finite(attr(lg, "ci"))))
        stopifnot(isTRUE(all.equal(attr(lg, "ci"), attr(xl, "ci"), tolerance = 1e-6)))
      r$logit_t_low <- unname(attr(xl, "ci"))[1]
      r$logit_t_high <- unname(attr(xl, "ci"))[2]
      r$logit_low <- unname(attr(xi, "ci"))[1]
      r$logit_high <- unname(attr(xi, "ci"))[2]
      r$svyciprop_logit_low <- unname(attr(lg, "ci"))[1]
      r$svyciprop_logit_high <- unname(attr(lg, "ci"))[2]
      add(r)
    }
    for (v in props) prop_case(v, NULL, as.formula(paste0("~", v)))
    for (v in names(levels)) for (lv in levels[[v]]) {
      prop_case(v, lv, as.formula(paste0("~I(as.numeric(", v, " == '", lv, "'))")))
    }
  }
  # Cross-check: the hand-made domains equal svyby's (estimates and SEs).
  for (by in bys) if (length(by) && length(means)) {
    b <- svyby(as.formula(paste0("~", means[1])), as.formula(paste0("~", paste(by, collapse = "+"))),
               des, svymean, na.rm = TRUE)
    mine <- Filter(function(r) identical(r$case, id) && identical(r$statistic, "mean") &&
                     identical(r$variable, means[1]) && identical(unlist(r$by), by), records)
    stopifnot(isTRUE(all.equal(sort(unname(coef(b))), sort(vapply(mine, `[[`, 0, "estimate")))))
    stopifnot(isTRUE(all.equal(sort(unname(SE(b))), sort(vapply(mine, `[[`, 0, "se")))))
  }
}

gap_cases <- function(id, s, variable, statistic, sex, female, male, by = NULL) {
  options(survey.lonely.psu = s$lonely)
  des <- mkdesign(s)
  f <- if (statistic == "proportion" && !is.null(attr(variable, "level"))) {
    as.formula(paste0("~I(as.numeric(", variable, " == '", attr(variable, "level"), "'))"))
  } else as.formula(paste0("~", variable))
  # svyby(covmat = TRUE) cannot take na.rm = TRUE with missing values (influence lengths
  # differ), so drop them first: design[rows, ] keeps every PSU count, as na.rm does.
  des <- des[!is.na(des$variables[[as.character(variable)]]), ]
  b <- svyby(f, as.formula(paste0("~", paste(c(sex, by), collapse = "+"))), des, svymean,
             covmat = TRUE)
  V <- vcov(b)
  doms <- if (length(by)) domains_of(des, by) else list(list(dom = jsonobj(list())))
  for (dm in doms) {
    suffix <- if (length(by)) paste0(".", paste(unlist(dm$dom), collapse = ".")) else ""
    fn <- paste0(female, suffix)
    mn <- paste0(male, suffix)
    if (!(fn %in% names(coef(b)) && mn %in% names(coef(b)))) next
    Fs <- as.name(fn)
    Ms <- as.name(mn)
    con <- svycontrast(b, list(
      difference = substitute(M - F, list(M = Ms, F = Fs)),
      parity = substitute(F / M, list(M = Ms, F = Fs)),
      relative_gap = substitute((M - F) / M, list(M = Ms, F = Fs))
    ))
    # Linear contrast with a weight vector: the same difference, without deriv().
    w <- setNames(rep(0, length(coef(b))), names(coef(b)))
    w[mn] <- 1
    w[fn] <- -1
    lin <- svycontrast(b, w)
    stopifnot(isTRUE(all.equal(as.numeric(SE(lin)), as.numeric(SE(con))[1])))
    stopifnot(isTRUE(all.equal(as.numeric(SE(lin))^2,
                               V[fn, fn] + V[mn, mn] - 2 * V[fn, mn])))
    es <- function(e, s) jsonobj(list(estimate = unname(e), se = unname(s)))
    add(list(
      case = id, kind = "gap", design = out_design(s), variable = as.character(variable),
      level = attr(variable, "level"), statistic = statistic, sex = sex,
      female_value = as.character(female), male_value = as.character(male),
      by = as.list(by), domain = dm$dom,
      female = es(coef(b)[fn], SE(b)[match(fn, names(coef(b)))]),
      male = es(coef(b)[mn], SE(b)[match(mn, names(coef(b)))]),
      covariance = unname(V[fn, mn]),
      difference = es(coef(con)[1], SE(con)[1]),
      parity = es(coef(con)[2], SE(con)[2]),
      relative_gap = es(coef(con)[3], SE(con)[3])
    ))
  }
}

# ---------------------------------------------------------------------------------- cases
strat <- spec("apistrat", "pw", strata = "stype", fpc = "fpc")
estimate_cases("apistrat_fpc", strat, means = c("api00", "acs.k3"), totals = "enroll",
               ratios = list(c("api00", "api99")), props = NULL,
               levels = list(sch.wide = c("Yes"), both = c("No", "Yes")),
               bys = list(NULL, "comp.imp", c("stype", "sch.wide")))
estimate_cases("apistrat_nofpc", spec("apistrat", "pw", strata = "stype"),
               means = "api00", totals = "enroll", levels = list(sch.wide = "Yes"),
               bys = list(NULL, "comp.imp"))
estimate_cases("apiclus1", spec("apiclus1", "pw", psu = "dnum", fpc = "fpc"),
               means = c("api00", "acs.k3"), totals = "enroll",
               ratios = list(c("api00", "api99")), levels = list(sch.wide = "Yes"),
               bys = list(NULL, "stype"))
estimate_cases("apiclus2", spec("apiclus2", "pw", psu = "dnum"),
               means = c("api00", "enroll"), totals = "enroll",
               ratios = list(c("api.stu", "enroll")), levels = list(comp.imp = "Yes"),
               bys = list(NULL, "stype"))

sim <- spec("sim", "w", strata = "stratum", psu = "psu")
estimate_cases("sim", sim, means = c("hours", "income"), totals = c("internet", "hours"),
               ratios = list(c("spend", "income")), props = "internet",
               levels = list(edu = c("none", "tertiary")),
               bys = list(NULL, "sex", c("sex", "urban"), c("region", "agegroup")))
for (fp in c("fpc_n", "fpc_frac", "fpc_cert")) {
  estimate_cases(paste0("sim_", fp), spec("sim", "w", strata = "stratum", psu = "psu", fpc = fp),
                 means = "hours", totals = "internet", ratios = list(c("spend", "income")),
                 props = "internet", bys = list(NULL, "sex"))
}
estimate_cases("sim_nopsu", spec("sim", "w", strata = "stratum"),
               means = c("hours", "income"), totals = "internet",
               ratios = list(c("spend", "income")), props = "internet", bys = list(NULL, "sex"))
estimate_cases("sim_nostrata", spec("sim", "w", psu = "psu"),
               means = "income", props = "internet", bys = list(NULL))
for (lonely in c("certainty", "remove", "adjust", "average")) {
  estimate_cases(paste0("sim_lonely_", lonely),
                 spec("sim", "w", strata = "stratum_l", psu = "psu", lonely = lonely),
                 means = "hours", totals = "internet", ratios = list(c("spend", "income")),
                 props = "internet", bys = if (lonely == "average") list(NULL) else list(NULL, "sex"))
}
estimate_cases("sim_lonely_adjust_fpc",
               spec("sim", "w", strata = "stratum_l", psu = "psu", fpc = "fpc_n", lonely = "adjust"),
               means = "hours", props = "internet", bys = list(NULL, "sex"))

estimate_cases("sim_zero_weights", spec("sim", "w0", strata = "stratum", psu = "psu"),
               means = "hours", totals = "internet", ratios = list(c("spend", "income")),
               props = "internet", levels = list(edu = c("none", "tertiary")),
               bys = list(NULL, "sex", c("sex", "agegroup")))

gap_cases("gap_sim_zero_weights_internet_urban",
          spec("sim", "w0", strata = "stratum", psu = "psu"),
          "internet", "proportion", "sex", 2, 1, by = "urban")
gap_cases("gap_sim_internet", sim, "internet", "proportion", "sex", 2, 1)
gap_cases("gap_sim_internet_urban", sim, "internet", "proportion", "sex", 2, 1, by = "urban")
gap_cases("gap_sim_hours", sim, "hours", "mean", "sex", 2, 1)
gap_cases("gap_sim_hours_region", sim, "hours", "mean", "sex", 2, 1, by = "region")
gap_cases("gap_sim_fpc_internet_agegroup",
          spec("sim", "w", strata = "stratum", psu = "psu", fpc = "fpc_n"),
          "internet", "proportion", "sex", 2, 1, by = "agegroup")
gap_cases("gap_sim_nopsu_income", spec("sim", "w", strata = "stratum"),
          "income", "mean", "sex", 2, 1, by = "urban")
gap_cases("gap_apiclus1_api00", spec("apiclus1", "pw", psu = "dnum", fpc = "fpc"),
          "api00", "mean", "comp.imp", "Yes", "No")
gap_cases("gap_apistrat_schwide", strat, structure("sch.wide", level = "Yes"), "proportion",
          "comp.imp", "Yes", "No", by = "stype")

golden <- list(
  generated_by = "tests/survey/golden/make_golden.R",
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  records = records
)
con <- file(file.path(outdir, "golden.json"), "w")
writeLines(tojson(jsonobj(golden)), con)
close(con)
cat("wrote", length(records), "records to", file.path(outdir, "golden.json"), "\n")
