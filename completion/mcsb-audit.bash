# bash completion for mcsb-audit(1); installed as share/bash-completion/completions/mcsb-audit.
# The option lists mirror each command's option table; tests/cli/bash_completion.sh compares them with --help.

_mcsb_audit_report_opts="--input --baseline --exceptions --max-exception-days --format --out-dir --basename --organisation --classification
  --paper --pdf-detail --pdf-volume-pages --period --fail-on --previous --sign-key --data-dir --jobs --quiet --help"
_mcsb_audit_collect_opts="--subscription --management-group --output --cloud --arm-endpoint --authority-host
  --token-file --managed-identity --ca-bundle --max-parallel --max-retries --timeout --max-pages --deadline --quiet --verbose --help"
_mcsb_audit_verify_opts="--pubkey --help"
_mcsb_audit_diff_opts="--format --out-dir --basename --help"
_mcsb_audit_baseline_opts="--baseline --data-dir --help"
_mcsb_audit_report_formats="json csv md pdf xlsx sarif oscal all"
_mcsb_audit_diff_formats="md json csv"

# Complete the last element of a comma list (--format json,c<TAB>).
_mcsb_audit_list()
{
    local cur=$1 words=$2 head=
    if [[ $cur == *,* ]]; then
        head=${cur%,*},
        cur=${cur##*,}
    fi
    local w
    COMPREPLY=()
    for w in $(compgen -W "$words" -- "$cur"); do
        COMPREPLY+=("$head$w")
    done
    type compopt >/dev/null 2>&1 && compopt -o nospace
}

_mcsb_audit()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W "report collect run verify diff baseline --help --version" -- "$cur"))
        return 0
    fi
    local cmd=${COMP_WORDS[1]} opts formats=$_mcsb_audit_report_formats
    case $cmd in
        report) opts=$_mcsb_audit_report_opts ;;
        collect) opts=$_mcsb_audit_collect_opts ;;
        run)
            # run takes every collect and report option but the two it sets itself.
            local o
            opts=
            for o in $_mcsb_audit_collect_opts $_mcsb_audit_report_opts; do
                [[ $o == --output || $o == --input || " $opts " == *" $o "* ]] || opts="$opts $o"
            done
            ;;
        verify) opts=$_mcsb_audit_verify_opts ;;
        diff) opts=$_mcsb_audit_diff_opts formats=$_mcsb_audit_diff_formats ;;
        baseline) opts=$_mcsb_audit_baseline_opts ;;
        *) return 0 ;;
    esac
    case $prev in
        -i | --input | --baseline | --exceptions | --previous | --sign-key | --token-file | --ca-bundle | --output | --pubkey)
            type compopt >/dev/null 2>&1 && compopt -o filenames
            COMPREPLY=($(compgen -f -- "$cur"))
            return 0
            ;;
        -o | --out-dir | --data-dir)
            type compopt >/dev/null 2>&1 && compopt -o filenames
            COMPREPLY=($(compgen -d -- "$cur"))
            return 0
            ;;
        -f | --format)
            _mcsb_audit_list "$cur" "$formats"
            return 0
            ;;
        --paper)
            COMPREPLY=($(compgen -W "a4 letter" -- "$cur"))
            return 0
            ;;
        --pdf-detail)
            COMPREPLY=($(compgen -W "grouped full" -- "$cur"))
            return 0
            ;;
        --fail-on)
            COMPREPLY=($(compgen -W "never high medium low fail not_assessed manual new" -- "$cur"))
            return 0
            ;;
        --cloud)
            COMPREPLY=($(compgen -W "AzureCloud AzureUSGovernment AzureChinaCloud" -- "$cur"))
            return 0
            ;;
        --subscription | --management-group | --arm-endpoint | --authority-host | --max-parallel | --max-retries | \
            --timeout | --max-pages | --deadline | --basename | --organisation | --classification | --period | --jobs | --pdf-volume-pages)
            return 0
            ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $cmd == baseline ]]; then
        COMPREPLY=($(compgen -W "show" -- "$cur"))
    elif [[ $cmd == verify ]]; then
        type compopt >/dev/null 2>&1 && compopt -o filenames
        COMPREPLY=($(compgen -d -- "$cur"))
    elif [[ $cmd == diff ]]; then
        type compopt >/dev/null 2>&1 && compopt -o filenames
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return 0
}
complete -F _mcsb_audit mcsb-audit
