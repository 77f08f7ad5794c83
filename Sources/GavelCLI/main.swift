import GavelCommandLine

// The `gavel` executable: the command line of the library, with Gavel's own kinds only.
// A program that registers kinds of its own calls the same entry point (Sources/Gavel/Gavel.docc/WritingAModel.md).
GavelCommand.main()
