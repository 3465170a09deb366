# bash completion for pvh-sev(1): commands, options and their values.
# tests/pkg/docs_match_options.py holds the option lists below against pvh-sev's option table.

_pvh_sev()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else # without the bash-completion package
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local boot_opts="--mem --cmdline --initrd --module --smp --vcpus --sev --sev-init --policy
		--cbit --sev-features --dump-layout --dump-launch --dump-vmsa --verbose -v --help"
	local run_opts="--timeout --debug-exit --strict --report --user --sandbox --dh-cert --session
		--secret --secret-gpa"
	local measure_opts="--json --explain --output-format --tik --mnonce --api --build
		--expect-ld --expect-measure --host-kernel --host-debug-swap"
	local check_opts="--json"

	case $prev in
	--sev) COMPREPLY=($(compgen -W "auto es emulated off" -- "$cur")); return ;;
	--sev-init) COMPREPLY=($(compgen -W "init2 legacy" -- "$cur")); return ;;
	--debug-exit) COMPREPLY=($(compgen -W "native qemu" -- "$cur")); return ;;
	--sandbox) COMPREPLY=($(compgen -W "on off" -- "$cur")); return ;;
	--output-format) COMPREPLY=($(compgen -W "hex base64" -- "$cur")); return ;;
	--host-debug-swap) COMPREPLY=($(compgen -W "y n absent" -- "$cur")); return ;;
	--host-kernel) COMPREPLY=($(compgen -W "5.19 6.1 6.6 6.8 6.10 6.12" -- "$cur")); return ;;
	--smp | --vcpus) COMPREPLY=($(compgen -W "1 2 4 8 16" -- "$cur")); return ;;
	--mem) COMPREPLY=($(compgen -W "256M 512M 1G 2G 4G" -- "$cur")); return ;;
	--policy) COMPREPLY=($(compgen -W "0x5 0x7" -- "$cur")); return ;;
	--report) COMPREPLY=($(compgen -f -- "$cur") $(compgen -W "-" -- "$cur")); return ;;
	--user) COMPREPLY=($(compgen -u -- "$cur")); return ;;
	--initrd | --module | --dh-cert | --session | --secret)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--dump-launch | --dump-vmsa) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--cmdline | --timeout | --cbit | --sev-features | --secret-gpa | --tik | --mnonce | --api | \
	--build | --expect-ld | --expect-measure)
		return ;; # a value only the user knows
	esac

	# The command is the first word that is not an option or an option's value.
	local i cmd="" w
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		run | measure | check) cmd=$w; break ;;
		esac
	done

	if [[ $cur == -* ]]; then
		case $cmd in
		run) COMPREPLY=($(compgen -W "$boot_opts $run_opts" -- "$cur")) ;;
		measure) COMPREPLY=($(compgen -W "$boot_opts $measure_opts" -- "$cur")) ;;
		check) COMPREPLY=($(compgen -W "$check_opts" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "--help --version" -- "$cur")) ;;
		esac
		return
	fi
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "run measure check" -- "$cur"))
	else
		[[ $cmd == check ]] || COMPREPLY=($(compgen -f -- "$cur")) # the kernel
	fi
}
complete -F _pvh_sev pvh-sev
