# Read every resource of the package as R's frictionless read_resource() reads it, then join every
# foreign key with dplyr. frictionless itself is on CRAN only (no Debian package, and the build machine
# reaches no CRAN mirror), so this reads the descriptor with jsonlite and calls readr::read_delim() with
# the arguments and column types read_resource() documents (frictionless 1.x, R/read_resource.R):
# string -> character, or factor when the field has an enum; integer and number -> double, or factor
# when it has an enum; boolean -> logical; date -> Date ("%Y-%m-%d"); missingValues -> na; no trimming
# of spaces (skipInitialSpace false); column names from the schema, the header row skipped.
#
#   Rscript tests/r/read_package.R path/to/datapackage.json
#
# Prints one line per column ("column <resource>.<field> <class>") and per foreign key
# ("join <resource>.<fields> -> <target>.<fields> rows=<n> unmatched=<k>"); exits non-zero if a join fails.
suppressPackageStartupMessages({
  library(jsonlite)
  library(readr)
  library(dplyr)
})

args <- commandArgs(trailingOnly = TRUE)
descriptor <- args[1]
root <- dirname(descriptor)
package <- fromJSON(descriptor, simplifyVector = FALSE)

collector <- function(field) {
  enum <- field$constraints$enum
  switch(field$type,
    "string" = if (length(enum) > 0) col_factor(levels = unlist(enum)) else col_character(),
    "number" = if (length(enum) > 0) col_factor(levels = as.character(unlist(enum))) else col_double(),
    "integer" = if (length(enum) > 0) col_factor(levels = as.character(unlist(enum))) else col_double(),
    "boolean" = col_logical(),
    "date" = col_date(format = "%Y-%m-%d"),
    stop(paste("type not read here:", field$type))
  )
}

schemas <- list()
read_like_frictionless <- function(resource) {
  schema <- fromJSON(file.path(root, resource$schema), simplifyVector = FALSE)
  schemas[[resource$name]] <<- schema
  names <- vapply(schema$fields, function(f) f$name, "")
  types <- setNames(lapply(schema$fields, collector), names)
  na <- if (is.null(schema$missingValues)) "" else unlist(schema$missingValues)
  read_delim(file.path(root, resource$path), delim = ",", quote = "\"", escape_double = TRUE,
             col_names = names, col_types = do.call(cols, types), locale = locale(encoding = "UTF-8"),
             na = na, trim_ws = FALSE, skip = 1, skip_empty_rows = TRUE, show_col_types = FALSE,
             progress = FALSE)
}

data <- list()
for (resource in package$resources) {
  df <- read_like_frictionless(resource)
  if (nrow(problems(df)) > 0) stop(paste("parsing problems in", resource$name))
  data[[resource$name]] <- df
  for (name in names(df)) cat("column", paste0(resource$name, ".", name), class(df[[name]])[1], "\n")
}

failed <- FALSE
for (name in names(schemas)) {
  for (fk in schemas[[name]]$foreignKeys) {
    target <- fk$reference$resource
    from <- unlist(fk$fields)
    to <- unlist(fk$reference$fields)
    left <- data[[name]] %>% filter(if_all(all_of(from), ~ !is.na(.x)))
    right <- data[[target]] %>% select(all_of(to)) %>% distinct()
    joined <- tryCatch(
      left_join(left, right %>% mutate(.matched = TRUE), by = setNames(to, from)),
      error = function(e) { failed <<- TRUE; cat("error", name, target, conditionMessage(e), "\n"); NULL })
    if (is.null(joined)) next
    unmatched <- sum(is.na(joined$.matched))
    cat("join", paste0(name, ".", paste(from, collapse = "+")), "->",
        paste0(target, ".", paste(to, collapse = "+")), paste0("rows=", nrow(joined)),
        paste0("unmatched=", unmatched), "\n")
    if (nrow(joined) != nrow(left) || unmatched > 0) failed <- TRUE
  }
}
if (failed) quit(status = 1)
