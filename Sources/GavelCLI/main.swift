import GavelCommandLine

// The `gavel` executable: the command line of the library, with Gavel's own kinds only.
// A program that registers kinds of its own calls the same entry point (docs/writing-a-model.md).
GavelCommand.main()
