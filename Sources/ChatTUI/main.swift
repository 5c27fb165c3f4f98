ChatTUICommand.main()
