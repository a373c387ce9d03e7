"""Report writers: JSON for machines, Markdown and HTML for people, from one data set."""
