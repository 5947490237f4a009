// Command collabnet loads international collaboration agreements into a
// graph (embedded, or Neo4j), analyses who is central and which countries
// cluster together, and writes reports and GraphML.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/collabnet/collabnet/loader"
)

// interruptGrace is how long a command may take to stop after SIGINT or
// SIGTERM before the process exits regardless.
const interruptGrace = 3 * time.Second

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		// A second signal ends the process at once; and a command that does
		// not return soon after the first is ended too (every stage checks
		// ctx, so this is a last resort, not the way commands stop).
		stop()
		time.AfterFunc(interruptGrace, func() {
			fmt.Fprintf(os.Stderr, "collabnet: interrupted (%v); did not stop within %s, exiting now\n", context.Cause(ctx), interruptGrace)
			os.Exit(1)
		})
	}()
	stopProfiles, err := startProfiles()
	if err != nil {
		fmt.Fprintln(os.Stderr, "collabnet:", err)
		os.Exit(1)
	}
	root, a := newRootApp()
	err = root.ExecuteContext(ctx)
	stopProfiles()
	if err != nil && ctx.Err() != nil {
		// Whatever the command was doing when the signal came; outputs
		// are written to a temporary file renamed at the end, and a Neo4j
		// load is finished by running it again (its LoadState says so).
		fmt.Fprintf(os.Stderr, "collabnet: interrupted (%v): stopped before the end; nothing was written but what finished\n", context.Cause(ctx))
		os.Exit(1)
	}
	if err != nil {
		msg := err.Error()
		var ps loader.Problems
		if errors.As(err, &ps) {
			msg = ps.Error()
		}
		fmt.Fprintln(os.Stderr, "collabnet:", a.redact(msg))
		os.Exit(1)
	}
}

// app is what every command shares: the configuration and the logger.
type app struct {
	v   *viper.Viper
	log *slog.Logger
	// stderr is the command's error stream, where the logger writes and
	// progress bars are drawn.
	stderr io.Writer
	// secrets are replaced by xxxxx in everything the commands print.
	secrets []string
	// loadSummary is what the last load of inputs decided, as lines: the
	// files' warnings and the loader's summary (report.json keeps it).
	loadSummary []string
}

// newRootApp returns the root command and the app its commands share.
func newRootApp() (*cobra.Command, *app) {
	a := &app{v: viper.New()}
	root := &cobra.Command{
		Use:   "collabnet",
		Short: "Turn international collaboration agreements into a graph and analyse it",
		Long: `collabnet loads cooperation agreements between science parks, incubators,
universities, firms, agencies and cities (its own curated data, your YAML or
spreadsheets, public datasets such as EU CORDIS participations) into a graph,
analyses who is central and which countries cluster together, and writes
reports, GraphML and GEXF.

Without --input, commands use the curated dataset shipped with collabnet
(agreements stated in news articles on IASP 2025 and the Zhongguancun Forum).

Configuration: flags beat environment variables (COLLABNET_*), which beat
collabnet.yaml (in the working directory or $XDG_CONFIG_HOME/collabnet),
which beats the defaults.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.init(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.String("config", "", "configuration file (default: ./collabnet.yaml, then $XDG_CONFIG_HOME/collabnet/collabnet.yaml)")
	pf.BoolP("verbose", "v", false, "log more (debug level)")
	pf.BoolP("quiet", "q", false, "log only errors")
	root.AddCommand(newReportCmd(a), newAnalyzeCmd(a), newListCmd(a), newLoadCmd(a), newSourcesCmd(a), newSchemaCmd(a), newExportCmd(a), newQueryCmd(a), newScheduleCmd(a), newVerifyCmd(a))
	return root, a
}

// init reads the configuration, binds every flag of cmd to its key and sets
// up logging. Environment variables are COLLABNET_ and the key in upper case
// with dots and dashes as underscores (input_format: COLLABNET_INPUT_FORMAT,
// neo4j.uri: COLLABNET_NEO4J_URI).
func (a *app) init(cmd *cobra.Command) error {
	v := a.v
	v.SetEnvPrefix("COLLABNET")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	setDefaults(v)
	if err := bindFlags(v, cmd); err != nil {
		return err
	}
	f := v.GetString("config")
	if f == "" {
		f = findConfig()
	}
	// Unknown keys and values of the wrong kind, in the file or the
	// environment, are errors rather than settings silently ignored.
	if err := checkConfig(cmd.Root(), f, os.Environ()); err != nil {
		return err
	}
	configInUse = ""
	if f != "" {
		if abs, err := filepath.Abs(f); err == nil {
			configInUse = abs
		}
		v.SetConfigFile(f)
		if err := v.ReadInConfig(); err != nil {
			return fmt.Errorf("reading configuration %s: %w", f, err)
		}
	}
	level := slog.LevelInfo
	switch {
	case v.GetBool("quiet"):
		level = slog.LevelError
	case v.GetBool("verbose"):
		level = slog.LevelDebug
	}
	// The Neo4j password never reaches the output, whatever prints it.
	a.secrets = secrets(v)
	cmd.SetOut(a.redactWriter(cmd.OutOrStdout()))
	cmd.SetErr(a.redactWriter(cmd.ErrOrStderr()))
	a.stderr = cmd.ErrOrStderr()
	a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
	if f := v.ConfigFileUsed(); f != "" {
		a.log.Debug("configuration", "file", f)
	}
	return nil
}

// findConfig returns the first collabnet.yaml (or .yml) in the working
// directory, then in $XDG_CONFIG_HOME/collabnet (~/.config/collabnet), or "".
// The files are named in full: viper's own search also matches a file called
// just "collabnet", such as the binary itself.
func findConfig() string {
	dirs := []string{"."}
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		dirs = append(dirs, filepath.Join(x, "collabnet"))
	} else if h, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(h, ".config", "collabnet"))
	}
	for _, d := range dirs {
		for _, n := range []string{"collabnet.yaml", "collabnet.yml"} {
			p := filepath.Join(d, n)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
		}
	}
	return ""
}

func setDefaults(v *viper.Viper) {
	v.SetDefault("resolve.fold_accents", true)
	v.SetDefault("load.skip_invalid", false)
	v.SetDefault("format", "table")
	v.SetDefault("out", "collabnet-report")
	v.SetDefault("source", "embedded")
	v.SetDefault("neo4j.uri", "bolt://127.0.0.1:7687")
	v.SetDefault("neo4j.user", "neo4j")
	v.SetDefault("neo4j.batch_size", 500)
	v.SetDefault("neo4j.writers", 2)
	v.SetDefault("neo4j.timeout", "15s")
	v.SetDefault("neo4j.query_timeout", defaultQueryTimeout.String())
}

// bindFlags binds every flag (local and inherited) to the key of the same
// name, dashes as underscores (--input-format: input_format), except where a
// flag names its key in the annotation "key".
func bindFlags(v *viper.Viper, cmd *cobra.Command) error {
	var err error
	bind := func(f *pflag.Flag) {
		key := strings.ReplaceAll(f.Name, "-", "_")
		if k, ok := f.Annotations["key"]; ok {
			key = k[0]
		}
		if e := v.BindPFlag(key, f); e != nil && err == nil {
			err = e
		}
	}
	cmd.Flags().VisitAll(bind)
	cmd.InheritedFlags().VisitAll(bind)
	return err
}
