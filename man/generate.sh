#!/usr/bin/env bash
# Makes man/chat-server.8 and man/chat-tui.1 again from the argument parsers, with
# swift-argument-parser's generate-manual plugin, then puts in what a parser cannot say: a
# DESCRIPTION of our own (NAME.SECTION.description, in place of the command's discussion) and
# the sections after the options (NAME.SECTION.sections, in place of the generated EXIT STATUS).
# Run it after changing an option (`make man`): a test fails while the committed pages miss an
# option the parsers have.
set -euo pipefail
cd "$(dirname "$0")/.."
# The date of the last commit, so that the pages change only when their text does.
date=$(git log -1 --format=%cs 2>/dev/null || date +%Y-%m-%d)
swift package --allow-writing-to-package-directory generate-manual --configuration debug --date "$date" >/dev/null
out=.build/plugins/GenerateManual/outputs

# page TARGET NAME SECTION
page() {
    local source="$out/$1/$2.1" base="man/$2.$3"
    awk -v section="$3" -v description="$base.description" -v sections="$base.sections" '
        function insert(file,   line) { while ((getline line < file) > 0) print line; close(file) }
        skipping && /^\.Bl -tag/ { skipping = 0 }
        skipping { next }
        /^\.Dt / { $3 = section }
        /^\.Sh "EXIT STATUS"/ { insert(sections); exit }
        { print }
        /^\.Sh DESCRIPTION/ { insert(description); skipping = 1 }
    ' "$source" > "$base"
}
page ChatServerDaemon chat-server 8
page ChatTUI chat-tui 1
