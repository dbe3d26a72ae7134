#!/bin/bash
# Bash completion: the built tree's contrib/bash-completion/glass, loaded as
# bash-completion loads it, driven through COMP_WORDS like readline does:
# options from --help, formats and kinds as glass names them, field names
# from --fields=help (comma lists), themes, and -c URIs from the config.
. "$(dirname "$0")/lib.sh"

BASH_COMPLETION=/usr/share/bash-completion/bash_completion
COMPLETION="$(dirname "$GLASS")/contrib/bash-completion/glass"
[ -r "$BASH_COMPLETION" ] || skip "bash-completion is not installed (apt-get install bash-completion)"
[ -r "$COMPLETION" ] || skip "$COMPLETION is not built (make)"

export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/xdg"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/glass" "$TMP/themes"
cat >"$XDG_CONFIG_HOME/glass/glassrc" <<'EOF'
# a test config
interval = 5
hypervisor = qemu+ssh://root@kvm1/system    # the first
  hypervisor=test:///default
host = glass+ssh://ops@web1:2222
ipmi = ipmi+lan://admin@bmc1
theme = mono
EOF
printf 'hypervisor = qemu+tcp://other/system\n' >"$TMP/other.rc"
: >"$TMP/themes/ocean.theme"
: >"$TMP/record-day.jsonl"

# complete LINE: what bash offers at the end of LINE, one per line.  LINE is
# split into COMP_WORDS as readline splits it (blanks, and runs of ':' and
# '=' as words of their own, COMP_WORDBREAKS's defaults that matter here).
complete_line() {
	bash --norc --noprofile -c '
		. "$1" && . "$2" || exit 3
		# Outside readline compopt only complains; what it sets is readline'"'"'s.
		compopt() { :; }
		line=$3
		words=() w="" prevclass=""
		for ((i = 0; i < ${#line}; i++)); do
			c=${line:i:1}
			case $c in
			" ") class=blank ;;
			[:=]) class=break ;;
			*) class=word ;;
			esac
			if [[ $class != "$prevclass" && -n $prevclass && $prevclass != blank ]]; then
				words+=("$w")
				w=""
			fi
			[[ $class != blank ]] && w+=$c
			prevclass=$class
		done
		[[ $prevclass == blank || -z $prevclass ]] && w=""
		words+=("$w")
		words[0]=$GLASS
		COMP_WORDS=("${words[@]}")
		COMP_CWORD=$((${#words[@]} - 1))
		COMP_LINE="$GLASS${line#glass}"
		COMP_POINT=${#COMP_LINE}
		spec=$(complete -p glass) || exit 4
		fn=${spec#*-F }
		fn=${fn%% *}
		"$fn" glass "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' complete_line "$BASH_COMPLETION" "$COMPLETION" "$1" | sed '/^$/d' | sort -u
}

# offers LINE WORD...: every WORD is among the completions of LINE.
offers() {
	line=$1
	shift
	got=$(complete_line "$line")
	for want in "$@"; do
		if printf '%s\n' "$got" | grep -qxF -- "$want"; then
			pass "'$line' offers '$want'"
		else
			fail "'$line' does not offer '$want'; it offers: $(echo $got)"
		fi
	done
}
# exactly LINE WORDS: the completions of LINE are the (sorted, blank-separated) WORDS.
exactly() {
	got=$(complete_line "$1" | tr '\n' ' ' | sed 's/ $//')
	want=$(printf '%s\n' $2 | sort -u | tr '\n' ' ' | sed 's/ $//')
	check "'$1' offers exactly: $want (got: $got)" test "$got" = "$want"
}

# Loaded the bash-completion way: by the command's name from a completions
# directory on XDG_DATA_DIRS, on first use.
mkdir -p "$TMP/share/bash-completion/completions"
cp "$COMPLETION" "$TMP/share/bash-completion/completions/glass"
spec=$(XDG_DATA_DIRS="$TMP/share" bash --norc --noprofile -c \
	'. "$1"; __load_completion glass; complete -p glass' x "$BASH_COMPLETION" 2>&1)
check "bash-completion loads it for glass: $spec" test "$spec" = "complete -F _glass glass"

# Options: every long option --help names, '=' after those that take a value.
"$GLASS" --help >"$TMP/help.txt"
long=$(grep -oE -- '--[a-z][a-z-]+' "$TMP/help.txt" | sort -u)
got=$(complete_line "glass --")
for o in $long; do
	if printf '%s\n' "$got" | grep -qxE -- "$o=?"; then pass "'glass --' offers $o"; else fail "'glass --' does not offer $o"; fi
done
offers "glass --" --format= --fields= --connect= --batch --no-libvirt
exactly "glass --for" "--format="
offers "glass -" -b -n -d -o -c -C -h -V --batch

# Formats and kinds: the same sets glass names when it refuses a value.
formats=$("$GLASS" -b --format nosuch 2>&1 | sed -n 's/.*expected //p' | sed 's/,\| or / /g')
kinds=$("$GLASS" -b --kind nosuch 2>&1 | sed -n 's/.*expected //p' | sed 's/,\| or / /g')
check "glass names its formats ($formats)" test -n "$formats"
check "glass names its kinds ($kinds)" test -n "$kinds"
exactly "glass --format " "$formats"
exactly "glass -b --format=" "$formats"
exactly "glass --format j" "json"
exactly "glass --kind " "$kinds"
by=$("$GLASS" -b --by nosuch 2>&1 | sed -n 's/.*expected //p' | sed 's/,\| or / /g')
check "glass names its --by reports ($by)" test -n "$by"
exactly "glass -b --by " "$by"
exactly "glass -b --by=o" "owner"
exactly "glass --kind=host,v" "host,vm"
exactly "glass --kind host,vm,container,site," "host,vm,container,site,group"

# Fields: the names --fields=help lists, one item of a comma list at a time.
fields=$("$GLASS" --fields=help)
check "--fields=help lists fields" test -n "$fields"
exactly "glass --fields " "$fields"
exactly "glass --fields=name,cpu_cores_u" "name,cpu_cores_used"
got=$(complete_line "glass --fields=name,")
check "'--fields=name,' offers the other fields" \
	test "$(printf '%s\n' "$got" | wc -l)" -eq "$(($(printf '%s\n' "$fields" | wc -l) - 1))"
check "'--fields=name,' does not offer name again" sh -c "! printf '%s\n' '$got' | grep -qx 'name,name'"

# Themes: the built-in names and the theme files in $GLASS_THEME_DIR.
exactly "glass --theme " "default light mono"
got=$(GLASS_THEME_DIR="$TMP/themes" complete_line "glass --theme ")
check "--theme offers \$GLASS_THEME_DIR's ocean ($(echo $got))" \
	test "$(echo $got)" = "default light mono ocean"

# -c: the URIs of the config's hypervisor, host and ipmi lines, comments left out,
# and the usual starts; a ':' in the word leaves the part after it (readline
# replaces only that).
offers "glass -c " "qemu+ssh://root@kvm1/system" "test:///default" "glass+ssh://ops@web1:2222" \
	"qemu:///system" "glass+ssh://" "ipmi+lan://admin@bmc1" "ipmi+lanplus://" \
	"prometheus+http://" "prometheus+https://"
exactly "glass -c prom" "prometheus+http:// prometheus+https://"
exactly "glass --connect=glass+ssh://o" "//ops@web1:2222"
exactly "glass -c qemu+ssh:" "//root@kvm1/system //"
offers "glass -C $TMP/other.rc -c " "qemu+tcp://other/system"
got=$(complete_line "glass -C $TMP/other.rc -c ")
check "with -C FILE only FILE's URIs" sh -c "! printf '%s\n' '$got' | grep -q kvm1"
got=$(XDG_CONFIG_HOME="$TMP/none" complete_line "glass -c ")
check "no config: the usual starts only ($(echo $got))" \
	test "$(echo $got)" = "glass+ssh:// ipmi+lan:// ipmi+lanplus:// prometheus+http:// prometheus+https:// qemu+ssh:// qemu:///system test:///default"

# Files where a file is wanted, nothing where a number is.
offers "glass --replay $TMP/record-" "$TMP/record-day.jsonl"
offers "glass --history $TMP/record-" "$TMP/record-day.jsonl"
offers "glass --history=$TMP/record-" "$TMP/record-day.jsonl"
mkdir -p "$TMP/powercap-fixture" "$TMP/cgroup-fixture"
exactly "glass --powercap-root $TMP/powercap-" "$TMP/powercap-fixture"
exactly "glass --cgroup-root $TMP/cgroup-" "$TMP/cgroup-fixture"
exactly "glass -d " ""
exactly "glass --iterations " ""
finish
