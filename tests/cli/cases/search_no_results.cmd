search zzzyyyxxx
