/* ideabank.h - the public API of libideabank: everything src/ uses. */
#ifndef IDEABANK_H
#define IDEABANK_H

#include "ideabank/array.h"
#include "ideabank/buf.h"
#include "ideabank/doc.h"
#include "ideabank/documents.h"
#include "ideabank/dst.h"
#include "ideabank/error.h"
#include "ideabank/extract.h"
#include "ideabank/feed.h"
#include "ideabank/fetch.h"
#include "ideabank/fts_query.h"
#include "ideabank/hash.h"
#include "ideabank/import.h"
#include "ideabank/init.h"
#include "ideabank/num.h"
#include "ideabank/peers.h"
#include "ideabank/progress.h"
#include "ideabank/proposal.h"
#include "ideabank/room.h"
#include "ideabank/search.h"
#include "ideabank/statbank.h"
#include "ideabank/store.h"

#define IB_VERSION "0.1.0"

#endif
