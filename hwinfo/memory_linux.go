package hwinfo

func readMemory() Memory { return readMeminfo() }
